import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AccessLog } from './access-log';

/** Gives every module of an app its access log (HTTP hooks and gRPC calls write to the same one). */
@Global()
@Module({})
export class AccessLogModule implements OnApplicationShutdown {
  constructor(@Inject(AccessLog) private readonly access: AccessLog) {}

  static forRoot(access: AccessLog): DynamicModule {
    return { module: AccessLogModule, global: true, providers: [{ provide: AccessLog, useValue: access }], exports: [AccessLog] };
  }

  /** The last lines (the drain's) reach the files before the process ends. */
  onApplicationShutdown(): void {
    this.access.flush();
  }
}

import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';
import { ReadinessMetrics } from './readiness-metrics';

export interface HealthModuleOptions {
  /** Modules the checks need (e.g. ModelsModule for ModelsHealthIndicator). */
  imports?: DynamicModule['imports'];
  checks: Type<ReadinessCheck>[];
}

/** /health/live and /health/ready; each app passes the checks its readiness depends on. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        ...options.checks,
        { provide: READINESS_CHECKS, useFactory: (...checks: ReadinessCheck[]) => checks, inject: options.checks },
        ReadinessMetrics,
      ],
      exports: [READINESS_CHECKS],
    };
  }
}

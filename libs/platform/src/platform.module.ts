import { DynamicModule, Module } from '@nestjs/common';
import { AccessModule } from '@app/access';
import { AppConfig, ConfigModule } from '@app/config';
import { MetricsModule } from '@app/metrics';
import { QueueConnectionModule } from '@app/queue';
import { ControlModule, RedisModule } from '@app/redis';

/**
 * What every app process has once, at its root: configuration, its own Redis connection, BullMQ's
 * connection settings, the control channel, the metrics registry and API-key access control. Feature
 * modules rely on these without importing them.
 */
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        RedisModule,
        MetricsModule,
        AccessModule,
        QueueConnectionModule.forRoot(),
        ControlModule,
      ],
      exports: [AccessModule],
    };
  }
}

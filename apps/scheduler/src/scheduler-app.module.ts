import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { EventLoopHealthIndicator, HealthModule, RedisHealthIndicator } from '@app/health';
import { PlatformModule } from '@app/platform';
import { SchedulerModule } from './scheduler.module';

/** The scheduler run alone: its jobs plus probes and metrics on scheduler.healthPort. */
@Module({})
export class SchedulerAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SchedulerAppModule,
      imports: [PlatformModule.forRoot(config), SchedulerModule, HealthModule.forRoot({ checks: [RedisHealthIndicator, EventLoopHealthIndicator] })],
    };
  }
}

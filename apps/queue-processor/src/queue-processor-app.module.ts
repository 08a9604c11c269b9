import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { EventLoopHealthIndicator, HealthModule, ModelsHealthIndicator, QueueBacklogHealthIndicator, RedisHealthIndicator } from '@app/health';
import { ModelsModule } from '@app/models';
import { PlatformModule } from '@app/platform';
import { JobQueueModule } from '@app/queue';
import { QueueProcessorModule } from './queue-processor.module';

/** The queue-processor run alone: its workers plus probes and metrics on queueProcessor.healthPort. */
@Module({})
export class QueueProcessorAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: QueueProcessorAppModule,
      imports: [
        PlatformModule.forRoot(config),
        QueueProcessorModule,
        HealthModule.forRoot({
          imports: [ModelsModule, JobQueueModule],
          checks: [RedisHealthIndicator, ModelsHealthIndicator, EventLoopHealthIndicator, QueueBacklogHealthIndicator],
        }),
      ],
    };
  }
}

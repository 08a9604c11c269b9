import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { PlatformModule } from '@app/platform';
import { InferenceModule } from '../apps/inference/src/inference.module';
import { QueueProcessorModule } from '../apps/queue-processor/src/queue-processor.module';
import { SchedulerModule } from '../apps/scheduler/src/scheduler.module';

/**
 * The three apps in one process, sharing one model registry, one batcher per model and one Redis
 * connection: the default `npm start`. Each app can also run alone (apps/<name>/src/main.ts).
 */
@Module({})
export class AllInOneModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AllInOneModule,
      imports: [PlatformModule.forRoot(config), InferenceModule, QueueProcessorModule, SchedulerModule],
    };
  }
}

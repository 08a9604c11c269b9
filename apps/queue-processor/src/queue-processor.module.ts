import { Module } from '@nestjs/common';
import { ProtocolsModule } from '@app/protocols';
import { JobQueueModule } from '@app/queue';
import { PredictionProcessor } from './prediction.processor';
import { PredictionWorkers } from './prediction-workers.service';

/** The BullMQ workers of the model queues. Needs PlatformModule at the root. */
@Module({
  imports: [ProtocolsModule, JobQueueModule],
  providers: [PredictionProcessor, PredictionWorkers],
  exports: [PredictionWorkers],
})
export class QueueProcessorModule {}

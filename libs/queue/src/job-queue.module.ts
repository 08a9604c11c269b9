import { Module } from '@nestjs/common';
import { ModelRepositoryModule } from '@app/models';
import { JobProducer } from './job-producer';
import { JobResults } from './job-results';
import { JobStore } from './job-store';
import { PredictQueues } from './predict-queues';
import { QueueMetrics } from './queue-metrics';

/**
 * The model queues seen from any app: submit jobs, read and cancel them, wait for results, report queue
 * state. One instance per process (a static module), whichever apps of the process import it.
 * Needs PlatformModule at the root (configuration, Redis, metrics).
 */
@Module({
  imports: [ModelRepositoryModule],
  providers: [PredictQueues, JobStore, JobProducer, JobResults, QueueMetrics],
  exports: [PredictQueues, JobStore, JobProducer, JobResults, QueueMetrics],
})
export class JobQueueModule {}

import { EventLoopHealthIndicator, HealthModule, ModelsHealthIndicator, QueueBacklogHealthIndicator, RedisHealthIndicator } from '@app/health';
import { ModelsModule } from '@app/models';
import { JobQueueModule } from '@app/queue';

/**
 * /health/live and /health/ready, and the readiness checks that V2's ready routes (REST and gRPC) share:
 * one notion of "ready" per process. One module object, so every feature that imports it gets the same one.
 */
export const InferenceHealthModule = HealthModule.forRoot({
  imports: [ModelsModule, JobQueueModule],
  checks: [RedisHealthIndicator, ModelsHealthIndicator, EventLoopHealthIndicator, QueueBacklogHealthIndicator],
});

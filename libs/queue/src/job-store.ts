import { Inject, Injectable } from '@nestjs/common';
import { QueueConfig, RedisConfig } from '@app/config';
import { ConflictError, JobNotFoundError } from '@app/errors';
import { isConnectionError, REDIS, RedisClient, withinRedisTimeout } from '@app/redis';
import { modelOfJobId } from './job-id';
import { jobView, JobView, readJob } from './job-view';
import { PredictQueues } from './predict-queues';

/**
 * Reads and cancels jobs by id. A cancelled job is removed from its queue (BullMQ has no "cancelled"
 * state), so a small tombstone key remembers it for queue.removeOnFailSeconds: GET then says
 * "cancelled" rather than 404.
 */
@Injectable()
export class JobStore {
  constructor(
    private readonly queues: PredictQueues,
    private readonly config: QueueConfig,
    private readonly redisConfig: RedisConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  async get(id: string): Promise<JobView> {
    const view = await this.find(id);
    if (!view) throw new JobNotFoundError(id);
    return view;
  }

  /** The job, or its tombstone, or undefined. */
  async find(id: string): Promise<JobView | undefined> {
    return (await this.lookup(id))?.view;
  }

  /** With the hash of the request that created the job (Idempotency-Key replays compare it). */
  async lookup(id: string): Promise<{ view: JobView; requestHash?: string } | undefined> {
    const model = modelOfJobId(id);
    if (!model) return undefined;
    const found = await this.queues.use(model, 'read a job', (queue) => readJob(queue, id));
    if (found) return { view: jobView(found.job, found.state), requestHash: found.job.data.requestHash };
    const tomb = await this.tombstone(id);
    return tomb && { view: tomb };
  }

  /** Cancels a job that has not started; 409 once it has (or has finished). */
  async cancel(id: string): Promise<JobView> {
    const model = modelOfJobId(id);
    if (!model) throw new JobNotFoundError(id);
    return this.queues.use(model, 'cancel a job', async (queue) => {
      const found = await readJob(queue, id);
      if (!found) {
        const tomb = await this.tombstone(id);
        if (tomb) return tomb;
        throw new JobNotFoundError(id);
      }
      const { job, state } = found;
      if (state !== 'queued') throw new ConflictError(`job '${id}' is ${state}: only a queued job can be cancelled`);
      const view = jobView(job, 'queued');
      const now = Date.now();
      const cancelled: JobView = {
        ...view,
        state: 'cancelled',
        finishedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 1000 * this.config.removeOnFailSeconds).toISOString(),
      };
      // The tombstone first: should the removal fail, it is taken back; should a GET come in between, it
      // still finds the job itself, which it prefers.
      await this.redis.set(this.tombstoneKey(id), JSON.stringify(cancelled), 'EX', this.config.removeOnFailSeconds);
      try {
        // Refused by BullMQ when a worker has just taken the job (it holds the job's lock).
        await job.remove();
      } catch (error) {
        await this.redis.del(this.tombstoneKey(id)).catch(() => undefined);
        if (isConnectionError(error)) throw error;
        throw new ConflictError(`job '${id}' has just started and can no longer be cancelled (${(error as Error).message})`);
      }
      return cancelled;
    });
  }

  private async tombstone(id: string): Promise<JobView | undefined> {
    const text = await withinRedisTimeout(this.redis.get(this.tombstoneKey(id)), this.config.redisTimeoutMs, 'read a job');
    return text ? (JSON.parse(text) as JobView) : undefined;
  }

  private tombstoneKey(id: string): string {
    return `${this.redisConfig.keyPrefix}:jobs:cancelled:${id}`;
  }
}

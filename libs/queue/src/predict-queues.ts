import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { existsSync } from 'fs';
import { join } from 'path';
import Redis from 'ioredis';
import { QueueConfig, RedisConfig } from '@app/config';
import { DependencyUnavailableError } from '@app/errors';
import { ModelRepository } from '@app/models';
import { appRedisOptions, createRedis, withinRedisTimeout } from '@app/redis';
import { PredictJobData, PredictJobResult } from './predict-job';
import { closeBull } from './close-bull';
import { predictQueueName } from './queue-names';

export type PredictQueue = Queue<PredictJobData, PredictJobResult>;

/** Job counts of one model queue, by the states the metrics and readiness report. */
export interface QueueCounts {
  /** Ready to run (waiting and prioritized): what queue.maxWaiting bounds. */
  waiting: number;
  active: number;
  /** Waiting for a retry's backoff to pass. */
  delayed: number;
  completed: number;
  failed: number;
}

const BACKLOG_TTL_MS = 250;

interface Backlog {
  count: number;
  readAt: number;
  /** Jobs this process added since the count was read: a burst is refused before the next read. */
  addedSince: number;
  reading?: Promise<void>;
}

/**
 * The producer side of the model queues in this process: one BullMQ Queue per model, all on one shared
 * connection. That connection has no offline queue, so while Redis is away the jobs API fails at once
 * (503) instead of piling commands up; each call is also bounded by queue.redisTimeoutMs.
 */
@Injectable()
export class PredictQueues implements OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly connection: Redis;
  private readonly queues = new Map<string, PredictQueue>();
  private readonly backlogs = new Map<string, Backlog>();
  private closed = false;

  constructor(
    private readonly redis: RedisConfig,
    readonly config: QueueConfig,
    private readonly repository: ModelRepository,
  ) {
    // Lazy: it connects when a queue is first used, so an app that fails to start leaves no socket open.
    this.connection = createRedis(redis.url, appRedisOptions({ maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true }));
    this.connection.on('error', () => undefined); // the app's own connection reports outages (RedisModule)
  }

  /** The queue of a model this process serves (kept), or of another name (a new one, for one use: close it). */
  of(model: string): { queue: PredictQueue; transient: boolean } {
    const kept = this.queues.get(model);
    if (kept) return { queue: kept, transient: false };
    // A Queue made on a closed connection fails its init by throwing from BullMQ: refuse instead.
    if (this.closed) throw new DependencyUnavailableError('the job queues are shutting down');
    const queue = new Queue<PredictJobData, PredictJobResult>(predictQueueName(model), {
      connection: this.connection,
      prefix: this.redis.keyPrefix,
    });
    queue.on('error', (error) => this.logger.warn(`queue ${predictQueueName(model)}: ${error.message}`));
    // Ids come from requests (GET /v1/jobs/<anything>~x): only models of the repository get a queue kept
    // for good. The repository, not the registry: the scheduler produces jobs without loading models.
    if (!this.inRepository(model)) return { queue, transient: true };
    this.queues.set(model, queue);
    return { queue, transient: false };
  }

  /** Runs `work` on the model's queue, bounded by queue.redisTimeoutMs (503 past it). */
  async use<T>(model: string, what: string, work: (queue: PredictQueue) => Promise<T>): Promise<T> {
    const { queue, transient } = this.of(model);
    try {
      return await withinRedisTimeout(work(queue), this.config.redisTimeoutMs, what);
    } finally {
      if (transient) void closeBull(queue, this.config.redisTimeoutMs);
    }
  }

  async counts(model: string): Promise<QueueCounts> {
    const c = await this.use(model, 'job counts', (q) => q.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'));
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
  }

  /**
   * Jobs waiting in a model's queue (backpressure): read from Redis at most every 250 ms, plus what this
   * process added since, so that checking it costs no round trip per request and a burst still counts.
   */
  async backlog(model: string): Promise<number> {
    let b = this.backlogs.get(model);
    if (!b) {
      b = { count: 0, readAt: 0, addedSince: 0 };
      this.backlogs.set(model, b);
    }
    if (Date.now() - b.readAt > BACKLOG_TTL_MS) {
      const entry = b;
      entry.reading ??= this.use(model, 'backlog', (q) => q.getJobCounts('waiting', 'prioritized', 'delayed'))
        .then((c) => {
          entry.count = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0);
          entry.readAt = Date.now();
          entry.addedSince = 0;
        })
        .finally(() => (entry.reading = undefined));
      await entry.reading;
    }
    return b.count + b.addedSince;
  }

  noteAdded(model: string): void {
    const b = this.backlogs.get(model);
    if (b) b.addedSince++;
  }

  private inRepository(model: string): boolean {
    try {
      return existsSync(join(this.repository.root, model)) && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(model);
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.queues.values()].map((q) => closeBull(q, this.config.redisTimeoutMs)));
    this.queues.clear();
    if (this.connection.status === 'wait') this.connection.disconnect();
    else await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

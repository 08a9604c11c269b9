import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { existsSync } from 'fs';
import { join } from 'path';
import { QueueConfig, RedisConfig } from '@app/config';
import { DependencyUnavailableError } from '@app/errors';
import { ModelRepository } from '@app/models';
import { appRedisOptions, createRedis, queuePrefixOf, RedisClient, withinRedisTimeout } from '@app/redis';
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
  private readonly connection: RedisClient;
  private readonly queues = new Map<string, PredictQueue>();
  private readonly backlogs = new Map<string, Backlog>();
  private closed = false;
  /** The WAIT in flight, and the one that follows it (see replicated). */
  private waiting?: Promise<number>;
  private queuedWait?: Promise<number>;

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
      prefix: queuePrefixOf(this.redis),
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

  /**
   * Waits until queue.ackReplicas replicas hold every write made so far on the producer connection (Redis
   * WAIT, for at most half of queue.redisTimeoutMs), and refuses with 503 when fewer confirm. Replication
   * is asynchronous: a job only the master holds is lost if the master fails over before it is copied, and
   * during a failover the old master takes writes that the new one never sees. A job that every replica
   * confirmed is on whichever replica Sentinel promotes (README, "Redis"). WAIT counts this connection's own
   * writes, which is why the jobs go out on it. A refused job is in Redis all the same and may still run:
   * a client that retries with its Idempotency-Key gets that job back instead of a second one.
   *
   * One WAIT covers every write sent before it, so concurrent submissions share them (a group commit): a
   * WAIT already in flight may have been sent before this caller's job, so callers arriving meanwhile
   * share the next one, sent when it returns. A blocked WAIT holds the connection's later commands back
   * (Redis serves a client's commands in order), so a WAIT per job would put a replication round trip
   * between every two submissions.
   */
  async replicated(): Promise<void> {
    const wanted = this.config.ackReplicas;
    if (wanted === 0) return;
    const acked = await this.nextWait();
    if (acked < wanted) {
      throw new DependencyUnavailableError(
        `${acked} of ${wanted} Redis replicas confirmed the job within ${this.waitTimeoutMs()} ms (queue.ackReplicas): it is not accepted; retry`,
        1,
      );
    }
  }

  private nextWait(): Promise<number> {
    if (!this.waiting) {
      this.waiting = this.sendWait();
      return this.waiting;
    }
    this.queuedWait ??= this.waiting
      .catch(() => 0)
      .then(() => {
        this.waiting = this.queuedWait;
        this.queuedWait = undefined;
        return this.sendWait();
      });
    return this.queuedWait;
  }

  private async sendWait(): Promise<number> {
    try {
      return await withinRedisTimeout(this.connection.wait(this.config.ackReplicas, this.waitTimeoutMs()), this.config.redisTimeoutMs, 'confirm a job on the replicas');
    } finally {
      if (!this.queuedWait) this.waiting = undefined;
    }
  }

  private waitTimeoutMs(): number {
    return Math.max(1, Math.floor(this.config.redisTimeoutMs / 2));
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

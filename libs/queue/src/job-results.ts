import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { QueueConfig, RedisConfig } from '@app/config';
import { DeadlineExceededError, DependencyUnavailableError, ModelgateError } from '@app/errors';
import { bullRedisOptions, queuePrefixOf, REDIS, RedisClient, redisOptionsFromUrl, withinRedisTimeout } from '@app/redis';
import { closeBull } from './close-bull';
import { errorOfFailure } from './job-failure';
import { readJob } from './job-view';
import { PredictJobResult } from './predict-job';
import { PredictQueues } from './predict-queues';
import { predictQueueName } from './queue-names';

interface Waiter {
  resolve(result: PredictJobResult): void;
  reject(error: ModelgateError): void;
}

interface Listening {
  /** Set once the stream position is read and the QueueEvents is created. */
  events?: QueueEvents;
  ready: Promise<void>;
}

/**
 * Waits for job results for requests that block on them (`route: queue`). One QueueEvents per model queue
 * per process, with one listener per event kind, and a map from job id to the requests waiting on it:
 * thousands of concurrent waits add entries to a map, never listeners to an emitter. Every path (result,
 * failure, timeout, shutdown) removes the entry.
 */
@Injectable()
export class JobResults implements OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly listening = new Map<string, Listening>();
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(
    private readonly queues: PredictQueues,
    private readonly redisConfig: RedisConfig,
    private readonly config: QueueConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  /**
   * Listening on the model's queue; call before the job is added. The events are read from where the
   * stream ended when listening began (not from "now" at the first read), so a job that finishes while
   * the listener starts is not missed.
   */
  async listen(model: string): Promise<void> {
    let entry = this.listening.get(model);
    if (!entry) {
      const created: Listening = { ready: Promise.resolve() };
      // A failed start is forgotten, so that the next request tries again (Redis may be back).
      created.ready = this.start(model, created).catch(async (error) => {
        this.listening.delete(model);
        await created.events?.close().catch(() => undefined);
        throw error;
      });
      entry = created;
      this.listening.set(model, entry);
    }
    await withinRedisTimeout(entry.ready, this.config.redisTimeoutMs, 'listen for job results');
  }

  /**
   * Resolves with the job's result, rejects with the error of its failure, or with 504 when `timeoutMs`
   * passes first (the job is then cancelled if it has not started: nobody waits for it any more).
   */
  wait(model: string, jobId: string, timeoutMs: number): { result: Promise<PredictJobResult>; cancel: () => void } {
    let waiter!: Waiter;
    let timer: NodeJS.Timeout | undefined;
    const result = new Promise<PredictJobResult>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        const set = this.waiters.get(jobId);
        set?.delete(waiter);
        if (set?.size === 0) this.waiters.delete(jobId);
      };
      waiter = {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
      timer = setTimeout(() => void this.settleLate(model, jobId, waiter, timeoutMs), timeoutMs);
    });
    const set = this.waiters.get(jobId) ?? new Set<Waiter>();
    set.add(waiter);
    this.waiters.set(jobId, set);
    return { result, cancel: () => waiter.reject(new DependencyUnavailableError('the job could not be submitted')) };
  }

  /** Requests waiting right now (0 when idle: nothing is left behind). */
  pending(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /** Listeners on the QueueEvents of a model (constant however many requests wait). */
  listenerCount(model: string): number {
    const events = this.listening.get(model)?.events;
    if (!events) return 0;
    return events.eventNames().reduce((n, name) => n + events.listenerCount(name), 0);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const set of [...this.waiters.values()]) {
      for (const waiter of [...set]) waiter.reject(new DependencyUnavailableError('the server is shutting down', 1));
    }
    await Promise.all([...this.listening.values()].map((l) => l.events && closeBull(l.events, this.config.redisTimeoutMs)));
    this.listening.clear();
  }

  private async start(model: string, entry: Listening): Promise<void> {
    const { queue } = this.queues.of(model);
    const last = await withinRedisTimeout(this.redis.xrevrange(queue.keys.events, '+', '-', 'COUNT', 1), this.config.redisTimeoutMs, 'listen for job results');
    const lastEventId = last[0]?.[0] ?? '0-0';
    const events = new QueueEvents(predictQueueName(model), {
      connection: bullRedisOptions(redisOptionsFromUrl(this.redisConfig.url)),
      prefix: queuePrefixOf(this.redisConfig),
      lastEventId,
    });
    entry.events = events;
    events.on('error', (error) => this.logger.warn(`job events of ${predictQueueName(model)}: ${error.message}`));
    events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, (w) => w.resolve(returnvalue as unknown as PredictJobResult)));
    // BullMQ publishes "failed" once a job has no attempt left (a retry publishes "delayed"/"waiting").
    events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, (w) => w.reject(errorOfFailure(failedReason))));
    await events.waitUntilReady();
  }

  private settle(jobId: string, how: (waiter: Waiter) => void): void {
    const set = this.waiters.get(jobId);
    if (!set) return;
    for (const waiter of [...set]) how(waiter);
  }

  /**
   * The wait is over. The job's own state is read once more first: an event can be missed (the stream is
   * capped, or Redis restarted), and a job that did finish should still be answered.
   */
  private async settleLate(model: string, jobId: string, waiter: Waiter, timeoutMs: number): Promise<void> {
    try {
      const found = await this.queues.use(model, 'read a job', (q) => readJob(q, jobId));
      if (found?.state === 'completed') return waiter.resolve(found.job.returnvalue);
      if (found?.state === 'failed') return waiter.reject(errorOfFailure(found.job.failedReason));
      // Refused by BullMQ if a worker has just taken it: it then runs, and its result expires unread.
      if (found?.state === 'queued') await found.job.remove().catch(() => undefined);
    } catch {
      // answered as a timeout below
    }
    waiter.reject(new DeadlineExceededError(`no result within ${timeoutMs} ms (queue.syncTimeoutMs): job '${jobId}' is still queued or running`));
  }
}

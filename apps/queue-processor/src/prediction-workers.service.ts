import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { QueueConfig, RedisConfig } from '@app/config';
import { ModelBatchers } from '@app/dataplane';
import { ModelRegistry } from '@app/models';
import { predictQueueName, PredictJobData, PredictJobResult, QueueMetrics } from '@app/queue';
import { bullRedisOptions, describeRedisUrl, queuePrefixOf, redisOptionsFromUrl } from '@app/redis';
import { PredictionProcessor } from './prediction.processor';

type PredictWorker = Worker<PredictJobData, PredictJobResult>;

/**
 * One BullMQ worker per model queue: what @nestjs/bullmq's WorkerHost + @Processor would give, made here
 * at run time because models come and go (hot reload, control API) while @Processor queues are fixed when
 * the app starts. PredictionProcessor.process plays WorkerHost.process.
 *
 * - Concurrency is at least the model's max batch size: that many jobs in hand at once is what lets the
 *   batcher fill a batch from the queue.
 * - A worker that dies (kill -9, lost machine) stops renewing the locks of its jobs; after
 *   queue.lockDurationMs another worker's stalled check (every queue.stalledIntervalMs) puts them back in
 *   the queue, so no accepted job is lost. Locks are renewed every half lock duration from the main
 *   thread, which inference never blocks (it runs in worker threads).
 * - Shutdown drains: the workers stop taking jobs and finish the ones in hand (their batches run) before
 *   the model registry unloads the models (beforeApplicationShutdown runs before onApplicationShutdown).
 */
@Injectable()
export class PredictionWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('QueueProcessor');
  private readonly workers = new Map<string, PredictWorker>();
  private stopping = false;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly batchers: ModelBatchers,
    private readonly processor: PredictionProcessor,
    private readonly redis: RedisConfig,
    private readonly config: QueueConfig,
    private readonly metrics: QueueMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.registry.onAvailable((servable) => void this.ensureWorker(servable.name));
    await Promise.all(this.registry.available().map((s) => this.ensureWorker(s.name)));
    this.logger.log(`consuming ${this.queues().join(', ') || 'no queues'} on Redis at ${describeRedisUrl(this.redis.url)}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
  }

  queues(): string[] {
    return [...this.workers.keys()].map(predictQueueName);
  }

  concurrencyOf(model: string): number | undefined {
    return this.workers.get(model)?.concurrency;
  }

  private async ensureWorker(model: string): Promise<void> {
    if (this.stopping) return;
    const concurrency = this.concurrencyFor(model);
    const existing = this.workers.get(model);
    if (existing) {
      // A reload may change the batch size; the worker follows it.
      if (existing.concurrency !== concurrency) existing.concurrency = concurrency;
      return;
    }
    const worker: PredictWorker = new Worker(predictQueueName(model), (job) => this.processor.process(job), {
      connection: bullRedisOptions(redisOptionsFromUrl(this.redis.url)),
      prefix: queuePrefixOf(this.redis),
      concurrency,
      lockDuration: this.config.lockDurationMs,
      stalledInterval: this.config.stalledIntervalMs,
      autorun: true,
    });
    worker.on('error', (error) => this.logger.warn(`worker of ${predictQueueName(model)}: ${error.message}`));
    worker.on('completed', (job) => this.metrics.finished(model, 'completed', job.timestamp));
    worker.on('failed', (job?: Job<PredictJobData, PredictJobResult>) => {
      if (!job) return;
      const retried = job.attemptsMade < (job.opts.attempts ?? 1) && !job.finishedOn;
      this.metrics.finished(model, retried ? 'retried' : 'failed');
    });
    this.workers.set(model, worker);
    await worker.waitUntilReady();
  }

  /** The largest max batch size among the model's available versions (a job may target any of them). */
  private concurrencyFor(model: string): number {
    const sizes = this.registry
      .available()
      .filter((s) => s.name === model)
      .map((s) => this.batchers.settingsOf(s).maxBatchSize);
    return Math.max(1, ...sizes);
  }
}

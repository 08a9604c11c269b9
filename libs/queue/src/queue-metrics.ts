import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { LATENCY_BUCKETS, MetricsService } from '@app/metrics';
import { ModelRepository } from '@app/models';
import { PredictQueues, QueueCounts } from './predict-queues';
import { predictQueueName } from './queue-names';

const COUNTED: (keyof QueueCounts)[] = ['waiting', 'active', 'delayed', 'failed', 'completed'];
const JOB_BUCKETS = [...LATENCY_BUCKETS, 30, 60, 300];

/**
 * Every series carries the queue and its model (`predict.<model>`, `<model>`), so dashboards filter jobs
 * by model as they do predictions. Queue state per model queue, read from Redis when Prometheus scrapes (so every process reports the
 * whole queue, whoever filled it), and the jobs this process submitted, refused and finished.
 */
@Injectable()
export class QueueMetrics {
  private readonly submittedTotal: Counter<'queue' | 'model'>;
  private readonly rejectedTotal: Counter<'queue' | 'model'>;
  private readonly finishedTotal: Counter<'queue' | 'model' | 'outcome'>;
  private readonly jobLatency: Histogram<'queue' | 'model'>;

  constructor(metrics: MetricsService, repository: ModelRepository, queues: PredictQueues) {
    this.submittedTotal = metrics.counter({ name: 'modelgate_jobs_submitted_total', help: 'Jobs put on a model queue by this process', labelNames: ['queue', 'model'] });
    this.rejectedTotal = metrics.counter({ name: 'modelgate_jobs_rejected_total', help: 'Jobs refused with 503 because the queue held queue.maxWaiting jobs', labelNames: ['queue', 'model'] });
    this.finishedTotal = metrics.counter({
      name: 'modelgate_jobs_finished_total',
      help: 'Job attempts finished by this process: completed, failed (no attempt left), retried',
      labelNames: ['queue', 'model', 'outcome'],
    });
    this.jobLatency = metrics.histogram({
      name: 'modelgate_job_latency_seconds',
      help: 'From submission to completion of a job (queue wait, retries and prediction)',
      labelNames: ['queue', 'model'],
      buckets: JOB_BUCKETS,
    });
    metrics.gauge({
      name: 'modelgate_queue_jobs',
      help: 'Jobs in each model queue by state (waiting includes prioritized; delayed are waiting for a retry)',
      labelNames: ['queue', 'model', 'state'],
      async collect() {
        this.reset();
        const models = await repository.listModelNames().catch(() => [] as string[]);
        await Promise.all(
          models.map(async (model) => {
            // A scrape while Redis is away shows no queue samples rather than failing or hanging.
            const counts = await queues.counts(model).catch(() => undefined);
            if (!counts) return;
            for (const state of COUNTED) this.set({ queue: predictQueueName(model), model, state }, counts[state]);
          }),
        );
      },
    });
  }

  submitted(model: string): void {
    this.submittedTotal.inc({ queue: predictQueueName(model), model });
  }

  rejected(model: string): void {
    this.rejectedTotal.inc({ queue: predictQueueName(model), model });
  }

  finished(model: string, outcome: 'completed' | 'failed' | 'retried', submittedAt?: number): void {
    const queue = predictQueueName(model);
    this.finishedTotal.inc({ queue, model, outcome });
    if (outcome === 'completed' && submittedAt) this.jobLatency.observe({ queue, model }, Math.max(0, Date.now() - submittedAt) / 1000);
  }
}

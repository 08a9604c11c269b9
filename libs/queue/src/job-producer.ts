import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { QueueConfig } from '@app/config';
import { ConflictError, OverloadedError } from '@app/errors';
import { idempotentJobId, newJobId } from './job-id';
import { bullJobOptions, JobRequestOptions, jobTimeoutOf } from './job-options';
import { JobStore } from './job-store';
import { jobView, JobView } from './job-view';
import { PREDICT_JOB_NAME, PredictJobData } from './predict-job';
import { PredictQueues } from './predict-queues';
import { QueueMetrics } from './queue-metrics';

export interface JobSubmission {
  model: string;
  /** A given version (`name@version`), or the newest available when the job runs (`name`). */
  version?: number;
  /** The prediction body, as :predict takes it (the job's own fields already taken out). */
  body: unknown;
  options: JobRequestOptions;
  idempotencyKey?: string;
  /** Use this id (a `route: queue` request registers its waiter under it before the job exists). */
  jobId?: string;
}

export interface SubmittedJob {
  job: JobView;
  /** False when an Idempotency-Key named a job that already existed: that job is answered instead. */
  created: boolean;
}

/**
 * Puts prediction jobs on their model's queue (direct routing: one queue per model). Refuses with 503 +
 * Retry-After when the queue already holds queue.maxWaiting jobs, so a backlog stays bounded.
 */
@Injectable()
export class JobProducer {
  constructor(
    private readonly queues: PredictQueues,
    private readonly store: JobStore,
    private readonly config: QueueConfig,
    private readonly metrics: QueueMetrics,
  ) {}

  async submit(submission: JobSubmission): Promise<SubmittedJob> {
    const { model, version, body, options, idempotencyKey } = submission;
    const requestHash = idempotencyKey === undefined ? undefined : hashOf({ version, body, options });
    const jobId = idempotencyKey === undefined ? (submission.jobId ?? newJobId(model)) : idempotentJobId(model, idempotencyKey);
    if (idempotencyKey !== undefined) {
      const existing = await this.replay(jobId, requestHash!);
      if (existing) return { job: existing, created: false };
    }
    const backlog = await this.queues.backlog(model);
    if (backlog >= this.config.maxWaiting) {
      this.metrics.rejected(model);
      throw new OverloadedError(`the queue of model '${model}' holds ${backlog} jobs (queue.maxWaiting is ${this.config.maxWaiting}); retry later`, 2);
    }
    const data: PredictJobData = {
      model,
      ...(version !== undefined ? { version } : {}),
      body,
      timeoutMs: jobTimeoutOf(options, this.config),
      ...(requestHash ? { requestHash } : {}),
    };
    const job = await this.queues.use(model, 'add a job', (queue) => queue.add(PREDICT_JOB_NAME, data, bullJobOptions(jobId, options, this.config)));
    await this.queues.replicated();
    this.queues.noteAdded(model);
    this.metrics.submitted(model);
    if (idempotencyKey !== undefined) {
      // Two requests with the same key at once: BullMQ keeps the first add and ignores the second, so the
      // job in Redis, not the one built here, is the answer.
      const stored = await this.replay(jobId, requestHash!);
      if (stored) return { job: stored, created: true };
    }
    return { job: jobView(job, 'queued'), created: true };
  }

  private async replay(jobId: string, requestHash: string): Promise<JobView | undefined> {
    const existing = await this.store.lookup(jobId);
    if (existing?.requestHash && existing.requestHash !== requestHash) {
      throw new ConflictError('this Idempotency-Key was already used for a different request');
    }
    return existing?.view;
  }
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}

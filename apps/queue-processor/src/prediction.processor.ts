import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { DeadlineExceededError, InvalidInputError, ModelNotFoundError } from '@app/errors';
import { TfServingAdapter } from '@app/protocols';
import { failureReason, fromBullPriority, PredictJobData, PredictJobResult } from '@app/queue';
import { withTimeout } from '@app/time';

/**
 * Runs one queued prediction through the same path as an HTTP request, so queued jobs join the shared
 * batcher. A job that can never succeed (bad input, unknown model) fails at once without retries; a
 * transient fault (an instance that crashed, an overloaded batcher, the job's timeout) is retried with
 * backoff. Failure reasons are `<CODE>: <message>`, read back by GET /v1/jobs/{id} and sync waiters.
 */
@Injectable()
export class PredictionProcessor {
  constructor(private readonly predictor: TfServingAdapter) {}

  async process(job: Job<PredictJobData, PredictJobResult>): Promise<PredictJobResult> {
    const { model, version, body, timeoutMs } = job.data;
    try {
      const answer = await withinJobTimeout(
        this.predictor.predict(model, version, body, { protocol: 'job', priority: fromBullPriority(job.opts.priority), timeoutMs }),
        timeoutMs,
      );
      return { model: answer.model, version: answer.version, body: answer.body };
    } catch (error) {
      if (error instanceof InvalidInputError || error instanceof ModelNotFoundError) throw new UnrecoverableError(failureReason(error));
      throw new Error(failureReason(error));
    }
  }
}

/**
 * BullMQ 5 has no job timeout of its own: the attempt fails when the prediction takes longer (the batcher's
 * deadline usually fires first, while the job still waits for a batch; this also bounds the run itself).
 */
function withinJobTimeout<T>(work: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (!timeoutMs) return work;
  return withTimeout(work, timeoutMs, () => new DeadlineExceededError(`the job took longer than its timeout of ${timeoutMs} ms`));
}

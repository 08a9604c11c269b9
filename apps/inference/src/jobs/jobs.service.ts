import { Injectable } from '@nestjs/common';
import { QueueConfig } from '@app/config';
import { ModelRegistry } from '@app/models';
import { TfServingAdapter } from '@app/protocols';
import { JobProducer, JobResults, JobStore, JobView, newJobId, splitJobRequest, SubmittedJob } from '@app/queue';
import { JobTarget } from './job-target';

/**
 * The jobs API over the model queues: submit (POST jobs, `Prefer: respond-async`), read, cancel, and
 * `route: queue` predictions that wait for their job's result.
 */
@Injectable()
export class JobsService {
  constructor(
    private readonly predictor: TfServingAdapter,
    private readonly registry: ModelRegistry,
    private readonly producer: JobProducer,
    private readonly store: JobStore,
    private readonly results: JobResults,
    private readonly config: QueueConfig,
  ) {}

  /**
   * The body is checked against the model's signature now, so a bad one is a 400 rather than a failed
   * job; the processor checks it again (the model may change while the job waits).
   */
  submit(target: JobTarget, body: unknown, idempotencyKey?: string): Promise<SubmittedJob> {
    const { body: prediction, options } = splitJobRequest(body, this.config);
    this.predictor.check(target.model, target.version, prediction);
    return this.producer.submit({ ...target, body: prediction, options, idempotencyKey });
  }

  get(id: string): Promise<JobView> {
    return this.store.get(id);
  }

  cancel(id: string): Promise<JobView> {
    return this.store.cancel(id);
  }

  /** Whether a :predict for this model goes through the queue (model.json `route: queue`). */
  routesThroughQueue(target: JobTarget): boolean {
    return this.registry.resolve(target.model, target.version).config.route === 'queue';
  }

  /**
   * `route: queue`: enqueue, then wait for the result up to queue.syncTimeoutMs (504 past it). The waiter
   * is registered before the job exists, so even an instant result finds it.
   */
  async predictThroughQueue(target: JobTarget, body: unknown): Promise<Record<string, unknown>> {
    this.predictor.check(target.model, target.version, body);
    await this.results.listen(target.model);
    const jobId = newJobId(target.model);
    const wait = this.results.wait(target.model, jobId, this.config.syncTimeoutMs);
    try {
      await this.producer.submit({ ...target, body, options: {}, jobId });
    } catch (error) {
      wait.cancel();
      await wait.result.catch(() => undefined);
      throw error;
    }
    return (await wait.result).body;
  }
}

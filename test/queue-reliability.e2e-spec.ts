import { Queue } from 'bullmq';
import { randomUUID } from 'crypto';
import { InstanceFailedError } from '@app/errors';
import { TfServingAdapter } from '@app/protocols';
import { PredictJobData, predictQueueName, toBullPriority } from '@app/queue';
import { call, dropKeys, getJob, IRIS, jobIn, JobBody, startQueueProcessor, submit } from './support/jobs';
import { killAll, waitFor } from './support/processes';
import { RunningApp, startAllInOne, startInference } from './support/test-app';
import { REDIS_URL } from './support/test-config';

const redisConnection = () => {
  const u = new URL(REDIS_URL);
  return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
};

describe('retries (all-in-one app, real Redis)', () => {
  let running: RunningApp;
  let base: string;
  beforeAll(async () => {
    running = await startAllInOne({ queue: { backoffMs: 50 } });
    base = running.url;
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await running?.close();
    if (running) await dropKeys(running.config.redis.keyPrefix);
  });

  it('retries a job whose first attempt fails from a transient fault (an inference instance that crashed) and completes it on the second', async () => {
    const predictor = running.app.get(TfServingAdapter);
    const real = predictor.predict.bind(predictor);
    let crashes = 1;
    const spy = jest.spyOn(predictor, 'predict').mockImplementation(async (...args) => {
      if (crashes-- > 0) throw new InstanceFailedError('instance 0 of iris@1 exited while running a batch');
      return real(...args);
    });
    const job = await submit(base, 'iris', IRIS);
    const done = await jobIn(base, job.id, ['completed', 'failed']);
    spy.mockRestore();
    expect(done.state).toBe('completed');
    expect(done.attempts).toBe(2);
    expect(done.result!.predictions![0].label).toBe('setosa');
  });

  it('fails a job whose input is invalid once, without retries, with the reason in GET /v1/jobs/{id}', async () => {
    // Submission checks bodies, so a bad one can only reach the queue another way: a producer that skips
    // the check (a script, the scheduler) or a model whose signature changed while the job waited.
    const queue = new Queue<PredictJobData>(predictQueueName('iris'), { connection: redisConnection(), prefix: running.config.redis.keyPrefix });
    try {
      const id = `iris~${randomUUID()}`;
      await queue.add('predict', { model: 'iris', body: { instances: [[1, 2, 3]] } }, { jobId: id, attempts: 3, backoff: { type: 'exponential', delay: 50 }, priority: toBullPriority(5) });
      const failed = await jobIn(base, id, ['failed', 'completed']);
      expect(failed.state).toBe('failed');
      expect(failed.attempts).toBe(1);
      expect(failed.maxAttempts).toBe(3);
      expect(failed.error!.code).toBe('INVALID_INPUT');
      expect(failed.error!.message).toContain('instances[0]');
      expect(failed.finishedAt).toBeDefined();
    } finally {
      await queue.close();
    }
  });
});

describe('priorities (inference app, and a queue-processor process taking one job at a time)', () => {
  let running: RunningApp;
  let base: string;
  beforeAll(async () => {
    running = await startInference();
    base = running.url;
  });
  afterAll(async () => {
    await running?.close();
    await killAll();
    if (running) await dropKeys(running.config.redis.keyPrefix);
  });

  it('runs a priority-10 job submitted after 100 priority-1 jobs before all of them', async () => {
    const low: JobBody[] = [];
    for (let i = 0; i < 100; i++) low.push(await submit(base, 'iris', { ...IRIS, priority: 1 }));
    const high = await submit(base, 'iris', { ...IRIS, priority: 10 });
    // A worker whose model batches one row at a time has concurrency 1: it takes the jobs one by one.
    await startQueueProcessor({ MODELGATE_REDIS_KEY_PREFIX: running.config.redis.keyPrefix, MODELGATE_BATCHING_MAX_BATCH_SIZE: '1' });
    const last = low[low.length - 1];
    await jobIn(base, last.id, ['completed'], 60_000);
    await waitFor('every job to complete', async () => {
      const states = await Promise.all(low.map((j) => getJob(base, j.id)));
      return states.every((j) => j.state === 'completed') ? states : undefined;
    }, 60_000, 200);
    const highDone = await getJob(base, high.id);
    const lowDone = await Promise.all(low.map((j) => getJob(base, j.id)));
    expect(highDone.state).toBe('completed');
    const firstLowStart = Math.min(...lowDone.map((j) => Date.parse(j.startedAt!)));
    expect(Date.parse(highDone.finishedAt!)).toBeLessThanOrEqual(firstLowStart);
    expect((await call(`${base}/metrics`, 'GET')).status).toBe(200);
  });
});

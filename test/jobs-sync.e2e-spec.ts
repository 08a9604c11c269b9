import { cpSync } from 'fs';
import { join } from 'path';
import { JobResults } from '@app/queue';
import { call, dropKeys, IRIS } from './support/jobs';
import { readModelJson, tempRepository, writeModelJson } from './support/model-repo';
import { waitFor } from './support/processes';
import { RunningApp, startAllInOne, startInference } from './support/test-app';
import { MODELS_DIR } from './support/test-config';

/** iris as it is, and `iris-queued`: the same model with `route: queue` in its model.json. */
function repositoryWithQueuedIris(): string {
  const root = tempRepository(['iris']);
  cpSync(join(MODELS_DIR, 'iris'), join(root, 'iris-queued'), { recursive: true });
  writeModelJson(root, 'iris-queued', { ...readModelJson(root, 'iris-queued'), route: 'queue' });
  return root;
}

const ROWS = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]];

describe('route: queue, sync over the queue (all-in-one app, real Redis)', () => {
  let running: RunningApp;
  let base: string;
  beforeAll(async () => {
    running = await startAllInOne({ models: { repository: repositoryWithQueuedIris() } });
    base = running.url;
  });
  afterAll(async () => {
    await running?.close();
    if (running) await dropKeys(running.config.redis.keyPrefix);
  });

  const submittedThroughQueue = async () =>
    Number(/modelgate_jobs_submitted_total\{queue="predict\.iris-queued",model="iris-queued"\} (\d+)/.exec((await call(`${base}/metrics`, 'GET')).body)?.[1] ?? 0);

  it('answers :predict of a route: queue model with 200 and what the inline path answers, through a job', async () => {
    const before = await submittedThroughQueue();
    const queued = await call(`${base}/v1/models/iris-queued:predict`, 'POST', { instances: ROWS });
    const inline = await call(`${base}/v1/models/iris:predict`, 'POST', { instances: ROWS });
    expect(queued.status).toBe(200);
    expect(queued.body).toEqual(inline.body);
    expect(await submittedThroughQueue()).toBe(before + 1);
    const version = await call(`${base}/v1/models/iris-queued/versions/1:predict`, 'POST', { inputs: ROWS });
    expect(version.status).toBe(200);
    expect(version.body.outputs.map((o: { label: string }) => o.label)).toEqual(inline.body.predictions.map((p: { label: string }) => p.label));
  });

  it('answers a bad body for a route: queue model with 400 at once, queueing nothing', async () => {
    const before = await submittedThroughQueue();
    const res = await call(`${base}/v1/models/iris-queued:predict`, 'POST', { instances: [[1, 2]] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_INPUT');
    expect(await submittedThroughQueue()).toBe(before);
  });

  it('keeps the same listeners on its one shared QueueEvents across 2,000 waits, and leaves no waiter behind', async () => {
    const results = running.app.get(JobResults);
    await call(`${base}/v1/models/iris-queued:predict`, 'POST', IRIS); // the QueueEvents exists from here
    const listeners = results.listenerCount('iris-queued');
    expect(listeners).toBeGreaterThan(0);

    let next = 0;
    let ok = 0;
    const worker = async () => {
      while (next < 2000) {
        next++;
        const res = await call(`${base}/v1/models/iris-queued:predict`, 'POST', { instances: [ROWS[next % 3]] });
        if (res.status === 200) ok++;
        else throw new Error(`wait ${next} answered ${res.status}: ${JSON.stringify(res.body)}`);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(ok).toBe(2000);
    expect(results.listenerCount('iris-queued')).toBe(listeners);
    expect(results.pending()).toBe(0);
  });
});

describe('route: queue with no queue-processor running (inference app alone)', () => {
  let running: RunningApp;
  let base: string;
  beforeAll(async () => {
    running = await startInference({ models: { repository: repositoryWithQueuedIris() }, queue: { syncTimeoutMs: 300 } });
    base = running.url;
  });
  afterAll(async () => {
    await running?.close();
    if (running) await dropKeys(running.config.redis.keyPrefix);
  });

  it('answers 504 DEADLINE_EXCEEDED when no result comes within queue.syncTimeoutMs, takes the unstarted job back, and leaves no waiter behind', async () => {
    const results = running.app.get(JobResults);
    const res = await call(`${base}/v1/models/iris-queued:predict`, 'POST', IRIS);
    expect(res.status).toBe(504);
    expect(res.body.code).toBe('DEADLINE_EXCEEDED');
    expect(res.body.error).toContain('queue.syncTimeoutMs');
    expect(results.pending()).toBe(0);
    // nobody waits for it any more, so it is not left to run later
    await waitFor('the queue to be empty', async () => {
      const metrics = (await call(`${base}/metrics`, 'GET')).body as string;
      return /modelgate_queue_jobs\{queue="predict\.iris-queued",model="iris-queued",state="waiting"\} 0\b/.test(metrics);
    });
    // a model with route: inline still answers inline without any queue-processor
    expect((await call(`${base}/v1/models/iris:predict`, 'POST', IRIS)).status).toBe(200);
  });
});

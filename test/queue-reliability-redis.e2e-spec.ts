import { Queue } from 'bullmq';
import { predictQueueName } from '@app/queue';
import { call, getJob, IRIS, jobIn, JobBody, startPersistentRedis, startQueueProcessor, submit } from './support/jobs';
import { freePort, killAll, Spawned, waitFor } from './support/processes';
import { RunningApp, startInference } from './support/test-app';

/**
 * Redis restarted under the apps (a private redis-server that keeps its data in an append-only file, as
 * docker-compose's does): the inference app and a queue-processor process reconnect by themselves, and
 * the jobs accepted before the restart are still there and complete.
 */
describe('a Redis restart during a run (private redis-server with appendonly, real processes)', () => {
  let port: number;
  let dir: string;
  let redis: Spawned;
  let running: RunningApp;
  let processorHealth: string;

  beforeAll(async () => {
    port = await freePort();
    ({ redis, dir } = await startPersistentRedis(port));
    running = await startInference({ redis: { url: `redis://127.0.0.1:${port}` } });
    const processor = await startQueueProcessor({ REDIS_URL: `redis://127.0.0.1:${port}`, MODELGATE_REDIS_KEY_PREFIX: running.config.redis.keyPrefix });
    processorHealth = processor.healthUrl;
  });
  afterAll(async () => {
    await running?.close();
    await killAll(); // the queue-processor and the private redis-server (its data goes with its temp folder)
  });

  /** An operator's pause (bull-board, or as here a Queue of our own): jobs wait in Redis, untouched. */
  async function setPaused(paused: boolean): Promise<void> {
    const queue = new Queue(predictQueueName('iris'), { connection: { host: '127.0.0.1', port }, prefix: running.config.redis.keyPrefix });
    try {
      if (paused) await queue.pause();
      else await queue.resume();
    } finally {
      await queue.close();
    }
  }

  it('keeps the jobs accepted before the restart, answers 503 while Redis is down, and both apps reconnect by themselves and complete every job', async () => {
    const base = running.url;
    const warmup = await submit(base, 'iris');
    await jobIn(base, warmup.id, ['completed']);

    await setPaused(true);
    const before: JobBody[] = [];
    for (let i = 0; i < 30; i++) before.push(await submit(base, 'iris', { ...IRIS, priority: 1 + (i % 10) }));
    for (const job of before) expect((await getJob(base, job.id)).state).toBe('queued');

    // stop Redis (SIGTERM: a clean shutdown, as a restart does)
    redis.child.kill('SIGTERM');
    await redis.exited;
    const down = await call(`${base}/v1/models/iris/jobs`, 'POST', IRIS);
    expect(down.status).toBe(503);
    expect(down.body.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(`${base}/v1/jobs/${before[0].id}`, 'GET')).status).toBe(503);
    // inline predictions do not need Redis
    expect((await call(`${base}/v1/models/iris:predict`, 'POST', IRIS)).status).toBe(200);

    ({ redis } = await startPersistentRedis(port, dir));
    await waitFor('the inference app to accept jobs again', async () => (await call(`${base}/health/ready`, 'GET')).status === 200, 60_000, 200);
    await waitFor('the queue-processor to be ready again', async () => (await fetch(`${processorHealth}/health/ready`)).status === 200, 60_000, 200);
    for (const job of before) expect((await getJob(base, job.id)).state).toBe('queued');

    await setPaused(false);
    const after = await submit(base, 'iris');
    for (const job of [...before, after]) {
      const done = await jobIn(base, job.id, ['completed', 'failed'], 60_000);
      expect({ id: job.id, state: done.state }).toEqual({ id: job.id, state: 'completed' });
    }
  });
});

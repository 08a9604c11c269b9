import { Queue, QueueEvents } from 'bullmq';
import { PredictJobData, PredictJobResult, predictQueueName } from '@app/queue';
import { call, dropKeys, IRIS, startQueueProcessor } from './support/jobs';
import { killAll, waitFor } from './support/processes';
import { RunningApp, startInference } from './support/test-app';
import { REDIS_URL } from './support/test-config';

/**
 * kill -9 of a queue-processor holding jobs: its locks expire (queue.lockDurationMs, 2 s here) and a new
 * processor's stalled check (queue.stalledIntervalMs, 1 s here) puts them back, so every accepted job
 * completes, once as far as anyone listening can tell. Short lock settings keep the test in seconds; the
 * defaults (10 s / 5 s) only make recovery slower.
 */
const JOBS = 3000;
const STALL_ENV = { MODELGATE_QUEUE_LOCK_DURATION_MS: '2000', MODELGATE_QUEUE_STALLED_INTERVAL_MS: '1000' };

describe('a queue-processor killed with SIGKILL while it holds jobs (real processes, real Redis)', () => {
  let running: RunningApp;
  let queue: Queue<PredictJobData, PredictJobResult>;
  let events: QueueEvents;
  const connection = () => {
    const u = new URL(REDIS_URL);
    return { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
  };

  beforeAll(async () => {
    running = await startInference();
    const prefix = running.config.redis.keyPrefix;
    queue = new Queue(predictQueueName('iris'), { connection: connection(), prefix });
    events = new QueueEvents(predictQueueName('iris'), { connection: connection(), prefix, lastEventId: '0-0' });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await killAll();
    await events?.close();
    await queue?.close();
    await running?.close();
    if (running) await dropKeys(running.config.redis.keyPrefix);
  });

  jest.setTimeout(240_000);
  afterEach(() => killAll()); // each test starts from no processor running

  it('completes every accepted job exactly once after a new processor starts: stalled jobs are recovered, none is lost', async () => {
    const completions = new Map<string, number>();
    events.on('completed', ({ jobId }) => completions.set(jobId, (completions.get(jobId) ?? 0) + 1));

    const ids: string[] = [];
    let next = 0;
    const submitter = async () => {
      while (next < JOBS) {
        next++;
        const res = await call(`${running.url}/v1/models/iris/jobs`, 'POST', IRIS);
        if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${JSON.stringify(res.body)}`);
        ids.push(res.body.id);
      }
    };
    await Promise.all(Array.from({ length: 16 }, submitter));
    expect(new Set(ids).size).toBe(JOBS);

    const first = await startQueueProcessor({ MODELGATE_REDIS_KEY_PREFIX: running.config.redis.keyPrefix, ...STALL_ENV }, false);
    // SIGKILL while it is in the middle of the backlog, with jobs active (taken, locked, not finished)
    const atKill = await waitFor('the first processor to be holding jobs', async () => {
      const c = await queue.getJobCounts('active', 'completed');
      return c.active > 0 && c.completed > 0 ? c : undefined;
    }, 90_000, 10);
    await first.proc.kill();
    const afterKill = await queue.getJobCounts('active', 'completed');
    expect(atKill.active).toBeGreaterThan(0);
    expect(afterKill.completed).toBeLessThan(JOBS);

    await startQueueProcessor({ MODELGATE_REDIS_KEY_PREFIX: running.config.redis.keyPrefix, ...STALL_ENV });
    const counts = await waitFor('every job to complete', async () => {
      const c = await queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'prioritized', 'delayed');
      return c.completed + c.failed >= JOBS ? c : undefined;
    }, 120_000, 200);
    expect(counts).toMatchObject({ completed: JOBS, failed: 0, active: 0, waiting: 0, prioritized: 0, delayed: 0 });

    // as the client sees it: every id answers completed with its prediction
    const states = new Map<string, number>();
    let i = 0;
    const reader = async () => {
      while (i < ids.length) {
        const id = ids[i++];
        const res = await call(`${running.url}/v1/jobs/${id}`, 'GET');
        const ok = res.status === 200 && res.body.state === 'completed' && res.body.result?.predictions?.[0]?.label === 'setosa';
        states.set(ok ? 'completed' : `${res.status} ${res.body.state}`, (states.get(ok ? 'completed' : `${res.status} ${res.body.state}`) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, reader));
    expect(Object.fromEntries(states)).toEqual({ completed: JOBS });

    // as anyone listening sees it: one "completed" per job, never two
    await waitFor('the completion events to arrive', () => completions.size >= JOBS, 30_000);
    expect([...completions.values()].filter((n) => n !== 1)).toEqual([]);

    // and the kill did hit jobs in hand: some were started twice (the lost run and the recovered one)
    const jobs = await queue.getJobs(['completed'], 0, JOBS);
    const recovered = jobs.filter((j) => (j.attemptsStarted ?? 0) > 1);
    expect(recovered.length).toBeGreaterThan(0);
  });

  it('drains on SIGTERM: stops taking jobs, finishes the ones in hand, exits 0, and leaves the rest queued for the next processor', async () => {
    const model = 'name-gender';
    const own = new Queue(predictQueueName(model), { connection: connection(), prefix: running.config.redis.keyPrefix });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 1500; i++) {
        const res = await call(`${running.url}/v1/models/${model}/jobs`, 'POST', { instances: ['Maria'] });
        ids.push(res.body.id);
      }
      const processor = await startQueueProcessor({ MODELGATE_REDIS_KEY_PREFIX: running.config.redis.keyPrefix, ...STALL_ENV }, false);
      await waitFor('the processor to be holding jobs', async () => {
        const c = await own.getJobCounts('active', 'completed');
        return c.active > 0 && c.completed > 0;
      }, 90_000, 10);
      processor.proc.child.kill('SIGTERM');
      const exit = await processor.proc.exited;
      expect(exit).toEqual({ code: 0, signal: null });

      const left = await own.getJobCounts('active', 'failed', 'completed', 'prioritized', 'waiting');
      expect(left.active).toBe(0);
      expect(left.failed).toBe(0);
      expect(left.completed + left.prioritized + left.waiting).toBe(ids.length);

      await startQueueProcessor({ MODELGATE_REDIS_KEY_PREFIX: running.config.redis.keyPrefix, ...STALL_ENV });
      await waitFor('every job to complete', async () => (await own.getJobCounts('completed')).completed === ids.length, 120_000, 200);
      // nothing was lost in the drain, so nothing had to be recovered as stalled
      const jobs = await own.getJobs(['completed'], 0, ids.length);
      expect(jobs.filter((j) => (j.attemptsStarted ?? 0) > 1)).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

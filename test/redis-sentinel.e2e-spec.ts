import request from 'supertest';
import { call, getJob, IRIS } from './support/jobs';
import { until } from './support/poll';
import { killAll } from './support/processes';
import { redisCli, SentinelGroup, startSentinelGroup } from './support/redis-topologies';
import { RunningApp, startAllInOne } from './support/test-app';

interface Load {
  accepted: string[];
  refused: Record<string, number>;
}

/**
 * Clients submitting jobs for `ms`, `concurrency` at a time, as fast as they are answered: every 202's job
 * id is kept (an accepted job), every other answer counted by status.
 */
async function submitFor(base: string, ms: number, concurrency: number): Promise<Load> {
  const load: Load = { accepted: [], refused: {} };
  const end = Date.now() + ms;
  const client = async () => {
    while (Date.now() < end) {
      const res = await call(`${base}/v1/models/iris/jobs`, 'POST', IRIS).catch((e: Error) => ({ status: 0, body: e.message }));
      if (res.status === 202) load.accepted.push((res.body as { id: string }).id);
      else {
        load.refused[res.status] = (load.refused[res.status] ?? 0) + 1;
        await new Promise((r) => setTimeout(r, 20)); // a refused client backs off a little, as Retry-After asks
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return load;
}

/** Each accepted job's final state; `lost` are the ids Redis no longer knows (404). */
async function outcome(base: string, ids: string[]): Promise<{ completed: number; lost: string[]; other: Record<string, number> }> {
  const result = { completed: 0, lost: [] as string[], other: {} as Record<string, number> };
  const pending = new Set(ids);
  await until(
    async () => {
      for (const id of [...pending]) {
        const res = await call(`${base}/v1/jobs/${encodeURIComponent(id)}`, 'GET');
        if (res.status === 404) {
          result.lost.push(id);
          pending.delete(id);
        } else if (res.status === 200 && res.body.state === 'completed') {
          result.completed++;
          pending.delete(id);
        } else if (res.status === 200 && res.body.state === 'failed') {
          result.other.failed = (result.other.failed ?? 0) + 1;
          pending.delete(id);
        }
      }
      return pending.size === 0;
    },
    'every accepted job to complete or be found lost',
    90_000,
    250,
  );
  return result;
}

describe('Redis Sentinel (a master, 2 replicas, 3 sentinels; redis+sentinel:// URL)', () => {
  let group: SentinelGroup;
  let app: RunningApp;

  beforeAll(async () => {
    group = await startSentinelGroup(2);
    app = await startAllInOne({
      redis: { url: group.url, keyPrefix: `mgtest-sentinel-${process.pid}` },
      // A job is accepted once both replicas hold it: whichever Sentinel promotes has it. (With 1 of 2, the
      // old master goes on taking jobs that the replica it still feeds confirms, until Sentinel moves that
      // one too: 513 of 1,630 were lost so, in one run.)
      queue: { ackReplicas: 2 },
      // The cache's Redis tier alone, so that a hit is Redis's answer (node-redis's Sentinel client).
      cache: { tier: 'redis' },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await group?.stop();
    await killAll();
  });

  it('finds the master through the sentinels and runs jobs', async () => {
    expect(group.masterPort()).toBe(group.dataPorts[0]);
    const res = await request(app.url).get('/health/ready').expect(200);
    expect(res.body.info.redis.status).toBe('up');
    const load = await submitFor(app.url, 1000, 4);
    expect(load.accepted.length).toBeGreaterThan(10);
    const seen = await outcome(app.url, load.accepted);
    expect(seen).toEqual({ completed: load.accepted.length, lost: [], other: {} });
    const job = await getJob(app.url, load.accepted[0]);
    expect(job.result?.predictions?.[0].label).toBe('setosa');
  });

  it('loses no accepted job when the master is failed over under load (SENTINEL FAILOVER), and follows the new master', async () => {
    // 8 clients submit for 8 s; the failover starts 2 s in.
    const before = group.masterPort();
    const loading = submitFor(app.url, 8000, 8);
    await new Promise((r) => setTimeout(r, 2000));
    const failoverAt = Date.now();
    redisCli(group.sentinelPorts[0], 'SENTINEL', 'FAILOVER', group.name);
    await until(() => group.masterPort() !== before, 'the sentinels to name a new master', 30_000, 100);
    const switchedMs = Date.now() - failoverAt;
    const load = await loading;
    // Jobs are refused (503) until both replicas follow the new master again: Sentinel turns the old master
    // into a replica when it next polls it (every 10 s).
    const accepted = await until<string | undefined>(async () => {
      const res = await call(`${app.url}/v1/models/iris/jobs`, 'POST', IRIS);
      return res.status === 202 ? (res.body as { id: string }).id : undefined;
    }, 'a job to be accepted again', 40_000, 250);
    const againMs = Date.now() - failoverAt;
    const seen = await outcome(app.url, [...load.accepted, accepted!]);
    // What the run saw, for the closing note.
    process.stdout.write(
      `sentinel failover: new master after ${switchedMs} ms, jobs accepted again after ${againMs} ms; ${load.accepted.length + 1} jobs accepted, ` +
        `${seen.completed} completed, ${seen.lost.length} lost; refused meanwhile: ${JSON.stringify(load.refused)}\n`,
    );
    expect(seen.lost).toEqual([]);
    expect(seen.completed).toBe(load.accepted.length + 1);
    // The app works against the new master: readiness and the cache's Redis tier.
    await until(async () => (await request(app.url).get('/health/ready')).status === 200, 'readiness on the new master');
    const row = { instances: [[6.66, 2.22, 4.44, 1.11]] };
    await until(async () => {
      await request(app.url).post('/v1/models/iris:predict').send(row).expect(200);
      return (await request(app.url).post('/v1/models/iris:predict').send(row).expect(200)).headers['x-cache'] === 'hit';
    }, 'a hit from the Redis tier on the new master', 20_000, 250);
    expect(group.masterPort()).not.toBe(before);
  });
});

import { Cluster } from 'ioredis';
import request from 'supertest';
import { queuePrefixOf } from '@app/redis';
import { holdout } from './support/holdout';
import { jobIn, submit } from './support/jobs';
import { until } from './support/poll';
import { killAll } from './support/processes';
import { RedisClusterProcesses, startRedisCluster } from './support/redis-topologies';
import { RunningApp, startAllInOne, startInference } from './support/test-app';
import { configDirWithSchedules } from './support/test-config';

const ADMIN = 'cluster-admin-key-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };

/** A schedule that ticks during the test, and the rest quiet ("run now" starts them). */
const SCHEDULES = `
schedules:
  - { name: tick, every: 1s, job: repository-sync }
  - { name: drift-report, every: 1h, job: drift-report }
  - { name: cleanup, every: 1h, job: cleanup }
`;

/** Every key on every master of the cluster matching `pattern`, by the master's port. */
async function keysByMaster(cluster: Cluster, pattern: string): Promise<Map<number, string[]>> {
  const found = new Map<number, string[]>();
  for (const node of cluster.nodes('master')) {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...page);
    } while (cursor !== '0');
    if (keys.length > 0) found.set(node.options.port!, keys);
  }
  return found;
}

describe('Redis Cluster (3 masters, redis+cluster:// URL)', () => {
  let redis: RedisClusterProcesses;
  let app: RunningApp;
  let peer: RunningApp | undefined;
  let cluster: Cluster;
  const prefix = `mgtest-cluster-${process.pid}`;

  beforeAll(async () => {
    redis = await startRedisCluster(3);
    cluster = new Cluster(redis.ports.map((port) => ({ host: '127.0.0.1', port })), { redisOptions: { maxRetriesPerRequest: 1 } });
    app = await startAllInOne(
      {
        redis: { url: redis.url, keyPrefix: prefix },
        cache: { tier: 'both' },
        auth: { apiKeys: { [ADMIN]: ['admin', 'predict'] } },
        drift: { minSamples: 20, windowSize: 200 },
      },
      configDirWithSchedules(SCHEDULES),
    );
  }, 120_000);

  afterAll(async () => {
    await peer?.close();
    await app?.close();
    cluster?.disconnect();
    await redis?.stop();
    await killAll();
  });

  it('is ready: /health/ready reports Redis up through the cluster', async () => {
    const res = await request(app.url).get('/health/ready').expect(200);
    expect(res.body.info.redis.status).toBe('up');
  });

  it('runs jobs end to end, every key of the queue in one hash slot of the {prefix} tag', async () => {
    const rows = holdout<{ features: number[]; label: string }>('iris').slice(0, 30);
    const jobs = await Promise.all(rows.map((r) => submit(app.url, 'iris', { instances: [r.features] }, admin)));
    const done = await Promise.all(jobs.map((j) => jobIn(app.url, j.id, ['completed', 'failed'], 30_000, admin)));
    expect(done.map((j) => j.state)).toEqual(rows.map(() => 'completed'));
    const right = done.filter((j, i) => j.result?.predictions?.[0].label === rows[i].label).length;
    expect(right).toBeGreaterThanOrEqual(27);

    expect(queuePrefixOf({ url: redis.url, keyPrefix: prefix })).toBe(`{${prefix}}`);
    const queueKeys = await keysByMaster(cluster, `{${prefix}}:predict.iris:*`);
    expect(queueKeys.size).toBe(1); // one master holds them all: one slot
    const [keys] = [...queueKeys.values()];
    const slots = new Set(await Promise.all(keys.map((k) => cluster.cluster('KEYSLOT', k))));
    expect(slots.size).toBe(1);
    // Nothing of BullMQ's under the plain prefix: a hash-tag-less key would have landed anywhere.
    expect((await keysByMaster(cluster, `${prefix}:predict.iris:*`)).size).toBe(0);
  });

  it("cancels a queued job: its tombstone key lives outside the queue's slot, and GET answers cancelled", async () => {
    // An inference app alone, under a prefix of its own: no worker takes its jobs, so the job stays queued.
    const idle = await startInference({ redis: { url: redis.url, keyPrefix: `${prefix}-idle` }, auth: { apiKeys: { [ADMIN]: ['admin', 'predict'] } } });
    try {
      const job = await submit(idle.url, 'iris', { instances: [[5.1, 3.5, 1.4, 0.2]] }, admin);
      await request(idle.url).delete(`/v1/jobs/${encodeURIComponent(job.id)}`).set(admin).expect(200);
      const again = await request(idle.url).get(`/v1/jobs/${encodeURIComponent(job.id)}`).set(admin).expect(200);
      expect(again.body.state).toBe('cancelled');
      expect(await cluster.exists(`${prefix}-idle:jobs:cancelled:${job.id}`)).toBe(1);
    } finally {
      await idle.close();
    }
  });

  it('shares the Redis tier of the cache between processes, its keys spread over the masters; DELETE clears them on every master and the control channel clears the other process\'s memory tier', async () => {
    peer = await startInference({ redis: { url: redis.url, keyPrefix: prefix }, cache: { tier: 'both' }, auth: { apiKeys: { [ADMIN]: ['admin', 'predict'] } } });
    const rows = Array.from({ length: 40 }, (_, i) => [7.01 + i * 0.01, 1.13, 6.07, 2.91]); // rows no other test sends
    for (const row of rows) {
      const res = await request(app.url).post('/v1/models/iris:predict').set(admin).send({ instances: [row] }).expect(200);
      expect(res.headers['x-cache']).toBe('miss');
    }
    // The other process has never seen these rows: its memory tier misses, the shared Redis tier hits.
    await until(async () => {
      const res = await request(peer!.url).post('/v1/models/iris:predict').set(admin).send({ instances: [rows[0]] }).expect(200);
      return res.headers['x-cache'] === 'hit';
    }, 'a hit from the Redis tier in the other process');
    const cached = await keysByMaster(cluster, `${prefix}:cache:iris@*`);
    // These rows, and the jobs' rows of the tests before (jobs share the cache).
    expect([...cached.values()].flat().length).toBeGreaterThanOrEqual(rows.length);
    expect(cached.size).toBeGreaterThanOrEqual(2);

    const cleared = await request(app.url).delete('/v1/models/iris/cache').set(admin).expect(200);
    expect(cleared.body.cleared).toBeGreaterThanOrEqual(rows.length);
    expect((await keysByMaster(cluster, `${prefix}:cache:iris@*`)).size).toBe(0);
    // cache.invalidate went out over pub/sub: the peer's memory tier holds rows[0] no more.
    await until(async () => {
      const res = await request(peer!.url).post('/v1/models/iris:predict').set(admin).send({ instances: [rows[0]] }).expect(200);
      return res.headers['x-cache'] === 'miss';
    }, 'the peer to miss after the invalidation');
  });

  it('fires a schedule through the cluster and runs one now (drift report over the live window)', async () => {
    await until(async () => {
      const res = await request(app.url).get('/v1/schedules').set(admin).expect(200);
      const tick = res.body.schedules.find((s: { name: string }) => s.name === 'tick');
      return tick?.lastRun?.status === 'completed' && tick.nextRun;
    }, 'the tick schedule to have run', 20_000);

    const rows = holdout<{ features: number[] }>('iris').map((r) => r.features);
    await request(app.url).post('/v1/models/iris:predict').set(admin).send({ instances: rows }).expect(200);
    await until(async () => (await cluster.llen(`${prefix}:drift:iris:window`)) >= 20, 'the drift window to fill');
    const run = await request(app.url).post('/v1/schedules/drift-report/run').set(admin).expect(200);
    expect(run.body.state).toBe('completed');
    const iris = run.body.result.reports.find((r: { model: string }) => r.model === 'iris');
    expect(iris.verdict).not.toBe('insufficient');
    const drift = await request(app.url).get('/v1/models/iris/drift').set(admin).expect(200);
    expect(drift.body.reports.length).toBeGreaterThanOrEqual(1);

    const cleanup = await request(app.url).post('/v1/schedules/cleanup/run').set(admin).expect(200);
    expect(cleanup.body.state).toBe('completed');
  });
});

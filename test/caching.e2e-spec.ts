import { createClient } from '@keyv/redis';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import request from 'supertest';
import { constantClassModel, IRIS_ROW, readModelJson, tempRepository, writeModelJson, writeVersion } from './support/model-repo';
import { dropKeys } from './support/jobs';
import { until } from './support/poll';
import { freePort, killAll, startRedisServer } from './support/processes';
import { RunningApp, startInference } from './support/test-app';
import { REDIS_URL } from './support/test-config';
import type { ApiScope } from '@app/config';

const ADMIN = 'admin-key-for-cache-tests-0001';
const PREDICT_ONLY = 'predict-key-for-cache-tests-01';
const KEYS: Record<string, ApiScope[]> = { [ADMIN]: ['admin'], [PREDICT_ONLY]: ['predict'] };
const auth = { Authorization: `Bearer ${ADMIN}` };

/** A repository with a copy of iris whose model.json carries this `cache` block. */
function irisRepository(cache: Record<string, unknown>): string {
  const repo = tempRepository(['iris']);
  writeModelJson(repo, 'iris', { ...readModelJson(repo, 'iris'), cache });
  return repo;
}

function uniquePrefix(): string {
  return `mgtest-cache-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

const predict = (app: RunningApp, body: unknown, path = '/v1/models/iris:predict') =>
  request(app.url).post(path).set(auth).set('content-type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));

/** A metric's value from /metrics (0 when the series does not exist yet). */
async function metric(app: RunningApp, series: string): Promise<number> {
  const text = (await request(app.url).get('/metrics').expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Rows the model has run through its batcher (every inference, whatever the request). */
const rowsRun = (app: RunningApp, version = 1) => metric(app, `modelgate_batch_size_rows_sum{model="iris",version="${version}"}`);

function logText(app: RunningApp): string {
  const dir = app.config.logging.dir;
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

describe('prediction cache on :predict (memory tier)', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startInference({ models: { repository: irisRepository({ policy: 'lru', tier: 'memory', maxEntries: 100 }) }, auth: { apiKeys: KEYS } });
  });
  afterAll(() => app?.close());

  it('answers X-Cache: miss the first time and hit with the same answer the second time, counting both in /metrics', async () => {
    const body = { instances: [[5.9, 3.0, 5.1, 1.8]] };
    const before = await rowsRun(app);
    const first = await predict(app, body).expect(200);
    const second = await predict(app, body).expect(200);
    expect(first.headers['x-cache']).toBe('miss');
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.body).toEqual(first.body);
    expect((await rowsRun(app)) - before).toBe(1);
    expect(await metric(app, 'modelgate_cache_hits_total{model="iris",version="1"}')).toBeGreaterThanOrEqual(1);
    expect(await metric(app, 'modelgate_cache_misses_total{model="iris",version="1"}')).toBeGreaterThanOrEqual(1);
    expect(await metric(app, 'modelgate_cache_entries{model="iris"}')).toBeGreaterThanOrEqual(1);
  });

  it('treats one input as one key whatever its JSON form: row or columnar, 5 or 5.0, and answers each form in its own format', async () => {
    const first = await predict(app, '{"instances": [[5, 2.5, 3, 1]]}').expect(200);
    expect(first.headers['x-cache']).toBe('miss');
    for (const body of ['{"instances": [[5.0, 2.50, 3.0, 1.0]]}', '{"instances": [{"features": [5e0, 2.5, 3, 1]}]}', '{"inputs": {"features": [[5, 2.5, 3.000, 1]]}}']) {
      const res = await predict(app, body).expect(200);
      expect(res.headers['x-cache']).toBe('hit');
      expect(res.body.predictions ?? res.body.outputs).toEqual(first.body.predictions);
    }
  });

  it('runs only the uncached rows of a batched request through the model, answering rows in order', async () => {
    const a = [4.4, 2.9, 1.4, 0.2];
    const b = [6.3, 2.5, 4.9, 1.5];
    const c = [7.7, 3.0, 6.1, 2.3];
    await predict(app, { instances: [a, c] }).expect(200);
    const before = await rowsRun(app);
    const mixed = await predict(app, { instances: [c, b, a] }).expect(200);
    expect((await rowsRun(app)) - before).toBe(1);
    expect(mixed.headers['x-cache']).toBe('miss');
    const separately = await Promise.all([c, b, a].map(async (row) => (await predict(app, { instances: [row] }).expect(200)).body.predictions[0]));
    expect(mixed.body.predictions).toEqual(separately);
    expect(separately.map((p: { label: string }) => p.label)).toEqual(['virginica', 'versicolor', 'setosa']);
  });

  it('runs one inference for 20 concurrent identical requests (single-flight); the others share it', async () => {
    const body = JSON.stringify({ instances: [[5.5, 2.4, 3.8, 1.1]] });
    const post = () => fetch(`${app.url}/v1/models/iris:predict`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    // Twenty connections opened beforehand (fetch keeps them alive), so that the twenty requests reach the
    // server together and overlap the first one's inference rather than arriving after it.
    await Promise.all(Array.from({ length: 20 }, () => fetch(`${app.url}/health/live`).then((r) => r.text())));
    const rowsBefore = await rowsRun(app);
    const missesBefore = await metric(app, 'modelgate_cache_misses_total{model="iris",version="1"}');
    const answers = await Promise.all(Array.from({ length: 20 }, async () => {
      const res = await post();
      return { status: res.status, outcome: res.headers.get('x-cache'), body: await res.json() };
    }));
    expect((await rowsRun(app)) - rowsBefore).toBe(1);
    expect((await metric(app, 'modelgate_cache_misses_total{model="iris",version="1"}')) - missesBefore).toBe(1);
    const outcomes = answers.map((a) => a.outcome);
    expect(outcomes.filter((o) => o === 'miss')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'shared').length).toBeGreaterThan(0);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual(answers[0].body);
    }
  });

  it('applies top_k after the cache: a cached row answers any top_k', async () => {
    const row = [6.1, 2.8, 4.7, 1.2];
    await predict(app, { instances: [row] }).expect(200);
    const top1 = await predict(app, { instances: [row], top_k: 1 }).expect(200);
    expect(top1.headers['x-cache']).toBe('hit');
    expect(Object.keys(top1.body.predictions[0].probabilities)).toHaveLength(1);
  });

  it('clears a model\'s cache through the admin route: 401 without a key, 403 without admin, 200 {"cleared": n} with it', async () => {
    await predict(app, { instances: [IRIS_ROW] }).expect(200);
    await request(app.url).delete('/v1/models/iris/cache').expect(401);
    await request(app.url).delete('/v1/models/iris/cache').set('Authorization', `Bearer ${PREDICT_ONLY}`).expect(403);
    const cleared = await request(app.url).delete('/v1/models/iris/cache').set(auth).expect(200);
    expect(cleared.body.cleared).toBeGreaterThanOrEqual(1);
    expect(await metric(app, 'modelgate_cache_entries{model="iris"}')).toBe(0);
    expect((await predict(app, { instances: [IRIS_ROW] }).expect(200)).headers['x-cache']).toBe('miss');
    await request(app.url).delete('/v1/models/nope/cache').set(auth).expect(404);
  });
});

describe('per-model cache settings from model.json', () => {
  let app: RunningApp | undefined;
  afterEach(() => app?.close());

  it('sends no X-Cache and runs every request when the model says policy off', async () => {
    app = await startInference({ models: { repository: irisRepository({ policy: 'off' }) }, auth: { apiKeys: KEYS } });
    const before = await rowsRun(app);
    for (let i = 0; i < 2; i++) expect((await predict(app, { instances: [IRIS_ROW] }).expect(200)).headers['x-cache']).toBeUndefined();
    expect((await rowsRun(app)) - before).toBe(2);
  });

  it('evicts by the model\'s policy and size: LFU with 2 entries keeps the most used rows', async () => {
    app = await startInference({ models: { repository: irisRepository({ policy: 'lfu', maxEntries: 2 }) }, auth: { apiKeys: KEYS } });
    const [a, b, c] = [[5.0, 3.4, 1.5, 0.2], [6.4, 3.2, 4.5, 1.5], [6.9, 3.1, 5.4, 2.1]];
    // Uses: a 3 (a fill and two hits), b 2; then c comes in and takes the place of b, the less used.
    for (const row of [a, a, a, b, b, c]) await predict(app, { instances: [row] }).expect(200);
    expect(await metric(app, 'modelgate_cache_entries{model="iris"}')).toBe(2);
    expect((await predict(app, { instances: [a] })).headers['x-cache']).toBe('hit');
    expect((await predict(app, { instances: [b] })).headers['x-cache']).toBe('miss');
  });

  it('refuses predictions with the offending field named when the cache block is invalid', async () => {
    app = await startInference({ models: { repository: irisRepository({ polcy: 'lru' }) }, auth: { apiKeys: KEYS } });
    const res = await predict(app, { instances: [IRIS_ROW] });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error).toMatch(/cache\.polcy is not a cache setting/);
  });
});

describe('no stale answers after a version change', () => {
  let app: RunningApp | undefined;
  afterEach(() => app?.close());

  it.each(['memory', 'both'])('answers from the new version once it serves, never from the old one\'s entries (tier %s)', async (tier) => {
    const repo = irisRepository({ tier, ttlSeconds: 60 });
    app = await startInference({ models: { repository: repo }, redis: { keyPrefix: uniquePrefix() }, auth: { apiKeys: KEYS } });
    expect((await predict(app, { instances: [IRIS_ROW] }).expect(200)).body.predictions[0].label).toBe('setosa');
    expect((await predict(app, { instances: [IRIS_ROW] }).expect(200)).headers['x-cache']).toBe('hit');
    writeVersion(repo, 'iris', 2, constantClassModel(2)); // always virginica
    await request(app.url).post('/v2/repository/models/iris/load').set(auth).expect(200);
    const after = await predict(app, { instances: [IRIS_ROW] }).expect(200);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.predictions[0].label).toBe('virginica');
  });

  it('drops the entries of a version reloaded with a different file under the same number', async () => {
    const repo = irisRepository({ tier: 'both', ttlSeconds: 60 });
    app = await startInference({ models: { repository: repo }, redis: { keyPrefix: uniquePrefix() }, auth: { apiKeys: KEYS } });
    expect((await predict(app, { instances: [IRIS_ROW] }).expect(200)).body.predictions[0].label).toBe('setosa');
    writeVersion(repo, 'iris', 1, constantClassModel(1)); // always versicolor, same version number
    await request(app.url).post('/v2/repository/models/iris/load').set(auth).expect(200);
    const after = await predict(app, { instances: [IRIS_ROW] }).expect(200);
    expect(after.body.predictions[0].label).toBe('versicolor');
    expect(after.headers['x-cache']).toBe('miss');
  });
});

describe('the Redis tier shared by two app instances', () => {
  const prefix = uniquePrefix();
  let a: RunningApp;
  let b: RunningApp;
  let redis: ReturnType<typeof createClient>;

  beforeAll(async () => {
    const repo = irisRepository({ tier: 'both', ttlSeconds: 120 });
    const overrides = { models: { repository: repo }, redis: { keyPrefix: prefix }, auth: { apiKeys: KEYS } };
    [a, b] = await Promise.all([startInference(overrides), startInference(overrides)]);
    redis = createClient({ url: REDIS_URL });
    await redis.connect();
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropKeys(prefix);
    await redis.close();
  });

  const cacheKeys = async (pattern = `${prefix}:cache:*`) => {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: pattern })) keys.push(...batch);
    return keys;
  };

  it('answers hit on B for what A computed, from keys under <prefix>:cache: that expire', async () => {
    const body = { instances: [[5.7, 2.8, 4.1, 1.3]] };
    const onA = await predict(a, body).expect(200);
    expect(onA.headers['x-cache']).toBe('miss');
    const onB = await predict(b, body).expect(200);
    expect(onB.headers['x-cache']).toBe('hit');
    expect(onB.body).toEqual(onA.body);
    const keys = await cacheKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${prefix}:cache:iris@1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{43}$`));
    const ttl = await redis.pTTL(keys[0]);
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    // Stored compactly: base64 of the float32 bytes, not a JSON list of numbers.
    expect(await redis.get(keys[0])).not.toMatch(/\d\.\d{4}/);
    // B filled its memory tier from Redis.
    expect(await metric(b, 'modelgate_cache_entries{model="iris"}')).toBe(1);
  });

  it('leaves Redis\'s maxmemory-policy alone (BullMQ needs noeviction)', async () => {
    expect(await redis.configGet('maxmemory-policy')).toEqual({ 'maxmemory-policy': 'noeviction' });
  });

  it('clears only this model\'s keys in Redis and every instance\'s memory tier (cache.invalidate fan-out)', async () => {
    const body = { instances: [[6.0, 2.2, 5.0, 1.5]] };
    await predict(b, body).expect(200);
    expect((await predict(a, body).expect(200)).headers['x-cache']).toBe('hit');
    const bystanders = [`${prefix}:bull:predict.iris:meta`, `${prefix}:cache:iris2@1:abc`, `${prefix}:cachex`, `${prefix}-other:cache:iris@1:abc`];
    for (const key of bystanders) await redis.set(key, 'keep');
    expect(await metric(b, 'modelgate_cache_entries{model="iris"}')).toBeGreaterThanOrEqual(1);

    const cleared = await request(a.url).delete('/v1/models/iris/cache').set(auth).expect(200);
    expect(cleared.body.cleared).toBeGreaterThanOrEqual(2);
    expect(await cacheKeys(`${prefix}:cache:iris@*`)).toEqual([]);
    for (const key of bystanders) expect(await redis.get(key)).toBe('keep');
    await until(async () => (await metric(b, 'modelgate_cache_entries{model="iris"}')) === 0, "B's memory tier to be cleared by the control message");
    expect((await predict(b, body).expect(200)).headers['x-cache']).toBe('miss');
    await redis.del(bystanders);
  });
});

describe('replicas serving different files under one version number (a rolling update of a shared volume)', () => {
  const prefix = uniquePrefix();
  let current: RunningApp;
  let stale: RunningApp;

  beforeAll(async () => {
    const newer = irisRepository({ tier: 'redis', ttlSeconds: 60 });
    const older = irisRepository({ tier: 'redis', ttlSeconds: 60 });
    writeVersion(older, 'iris', 1, constantClassModel(1)); // always versicolor, still called version 1
    const overrides = (repository: string) => ({ models: { repository }, redis: { keyPrefix: prefix }, auth: { apiKeys: KEYS } });
    [current, stale] = await Promise.all([startInference(overrides(newer)), startInference(overrides(older))]);
  });
  afterAll(async () => {
    await Promise.all([current?.close(), stale?.close()]);
    await dropKeys(prefix);
  });

  it('never answers one replica from what the other computed, in either direction', async () => {
    const body = { instances: [IRIS_ROW] };
    expect((await predict(current, body).expect(200)).body.predictions[0].label).toBe('setosa');
    expect((await predict(current, body).expect(200)).headers['x-cache']).toBe('hit');
    const onStale = await predict(stale, body).expect(200);
    expect([onStale.headers['x-cache'], onStale.body.predictions[0].label]).toEqual(['miss', 'versicolor']);
    expect((await predict(stale, body).expect(200)).body.predictions[0].label).toBe('versicolor');
    const again = await predict(current, body).expect(200);
    expect([again.headers['x-cache'], again.body.predictions[0].label]).toEqual(['hit', 'setosa']);
  });
});

describe('a Redis outage under the Redis tier', () => {
  afterAll(() => killAll());

  it('answers every prediction as a miss while Redis is away, logs it once, and shares again when it returns', async () => {
    const port = await freePort();
    let server = await startRedisServer(port);
    const app = await startInference({ models: { repository: irisRepository({ tier: 'redis' }) }, redis: { url: `redis://127.0.0.1:${port}` }, auth: { apiKeys: KEYS } });
    try {
      await predict(app, { instances: [IRIS_ROW] }).expect(200);
      expect((await predict(app, { instances: [IRIS_ROW] }).expect(200)).headers['x-cache']).toBe('hit');
      await server.kill();
      for (let i = 0; i < 5; i++) {
        const res = await predict(app, { instances: [IRIS_ROW] });
        expect(res.status).toBe(200);
        expect(res.headers['x-cache']).toBe('miss');
        expect(res.body.predictions[0].label).toBe('setosa');
        await new Promise((r) => setTimeout(r, 200));
      }
      const warnings = () => logText(app).split('\n').filter((l) => l.includes('Redis tier unavailable'));
      await until(() => warnings().length > 0, 'the outage to be logged');
      expect(warnings()).toHaveLength(1);
      server = await startRedisServer(port);
      // Every connection of the app back (not only the cache's), so that closing it leaves no reconnect pending.
      await until(async () => (await request(app.url).get('/health/ready')).status === 200, 'the app to be ready again');
      await until(async () => {
        await predict(app, { instances: [IRIS_ROW] });
        return (await predict(app, { instances: [IRIS_ROW] })).headers['x-cache'] === 'hit';
      }, 'the Redis tier to serve again');
    } finally {
      await app.close();
      await server.kill();
    }
  });
});

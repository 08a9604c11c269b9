import { ModelBatchers } from '@app/dataplane';
import { ModelRegistry } from '@app/models';
import { PredictionWorkers } from '../apps/queue-processor/src/prediction-workers.service';
import { call, dropKeys, getJob, IRIS, jobIn, JobBody, submit } from './support/jobs';
import { waitFor } from './support/processes';
import { RunningApp, startAllInOne, startInference } from './support/test-app';

const PREDICT_KEY = 'p'.repeat(24);
const ADMIN_KEY = 'a'.repeat(24);
const AS_PREDICT = { authorization: `Bearer ${PREDICT_KEY}` };
const AS_ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };
const KEYS = { apiKeys: { [PREDICT_KEY]: ['predict' as const], [ADMIN_KEY]: ['admin' as const] } };

describe('jobs API (all-in-one app: the API and the queue-processor in one process, real Redis)', () => {
  let running: RunningApp;
  let base: string;
  beforeAll(async () => {
    running = await startAllInOne({ auth: KEYS });
    base = running.url;
  });
  afterAll(async () => {
    await running?.close();
    if (running) await dropKeys(running.config.redis.keyPrefix);
  });

  it('answers POST /v1/models/{name}/jobs with 202, the job and Location, and GET /v1/jobs/{id} then shows it completed with the prediction, timestamps and attempts', async () => {
    const res = await call(`${base}/v1/models/iris/jobs`, 'POST', { ...IRIS, priority: 7 }, AS_PREDICT);
    expect(res.status).toBe(202);
    const job = res.body as JobBody;
    expect(job).toMatchObject({ model: 'iris', state: 'queued', priority: 7, attempts: 0, maxAttempts: 3 });
    expect(job.id).toMatch(/^iris~[A-Za-z0-9_-]+$/);
    expect(res.headers.get('location')).toBe(`/v1/jobs/${job.id}`);

    const done = await jobIn(base, job.id, ['completed'], 30_000, AS_PREDICT);
    expect(done.result).toMatchObject({ model: 'iris', version: 1 });
    expect(done.result!.predictions![0].label).toBe('setosa');
    expect(done.attempts).toBe(1);
    for (const t of [done.createdAt, done.startedAt, done.finishedAt, done.expiresAt]) expect(Number.isNaN(Date.parse(t!))).toBe(false);
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
    expect(Date.parse(done.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
    // results expire after queue.removeOnCompleteSeconds (expiring results)
    expect(Date.parse(done.expiresAt!) - Date.parse(done.finishedAt!)).toBe(running.config.queue.removeOnCompleteSeconds * 1000);
  });

  it('answers :predict with Prefer: respond-async by 202 and Location, and the job completes with what :predict answers inline', async () => {
    const body = { instances: [[6.7, 3.0, 5.2, 2.3], [5.1, 3.5, 1.4, 0.2]] };
    const inline = await call(`${base}/v1/models/iris:predict`, 'POST', body, AS_PREDICT);
    expect(inline.status).toBe(200);
    const res = await call(`${base}/v1/models/iris:predict`, 'POST', body, { ...AS_PREDICT, prefer: 'respond-async, wait=5' });
    expect(res.status).toBe(202);
    expect(res.headers.get('preference-applied')).toBe('respond-async');
    expect(res.headers.get('location')).toBe(`/v1/jobs/${res.body.id}`);
    const done = await jobIn(base, res.body.id, ['completed'], 30_000, AS_PREDICT);
    const { model, version, ...answer } = done.result!;
    expect({ model, version }).toEqual({ model: 'iris', version: 1 });
    expect(answer).toEqual(inline.body);
  });

  it('targets the version of name@version or /versions/{v}, the newest available for a bare name, and 404 for a version that does not exist', async () => {
    const at = await submit(base, 'iris@1', IRIS, AS_PREDICT);
    expect(at).toMatchObject({ model: 'iris', version: 1 });
    const path = await call(`${base}/v1/models/iris/versions/1/jobs`, 'POST', IRIS, AS_PREDICT);
    expect(path.status).toBe(202);
    expect(path.body).toMatchObject({ model: 'iris', version: 1 });
    const bare = await submit(base, 'iris', IRIS, AS_PREDICT);
    expect(bare.version).toBeUndefined();
    for (const id of [at.id, path.body.id, bare.id]) expect((await jobIn(base, id, ['completed'], 30_000, AS_PREDICT)).result!.version).toBe(1);

    const missing = await call(`${base}/v1/models/iris@9/jobs`, 'POST', IRIS, AS_PREDICT);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('MODEL_NOT_FOUND');
  });

  it('refuses a body that does not fit the model signature with 400 naming the field, at submission (no job is queued)', async () => {
    const submitted = async () => Number(/modelgate_jobs_submitted_total\{queue="predict\.iris",model="iris"\} (\d+)/.exec((await call(`${base}/metrics`, 'GET')).body)?.[1] ?? 0);
    const before = await submitted();
    const res = await call(`${base}/v1/models/iris/jobs`, 'POST', { instances: [[1, 2, 3]] }, AS_PREDICT);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_INPUT');
    expect(res.body.error).toContain('instances[0]');
    const unknownField = await call(`${base}/v1/models/iris/jobs`, 'POST', { ...IRIS, colour: 'red' }, AS_PREDICT);
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error).toContain("'colour'");
    expect(await submitted()).toBe(before);
  });

  it('refuses job options outside their limits with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ priority: 0 }, 'priority'],
      [{ priority: 11 }, 'priority'],
      [{ priority: 'high' }, 'priority'],
      [{ attempts: 0 }, 'attempts'],
      [{ attempts: running.config.queue.maxAttempts + 1 }, 'attempts'],
      [{ timeoutMs: 1.5 }, 'timeoutMs'],
      [{ timeoutMs: running.config.queue.maxJobTimeoutMs + 1 }, 'timeoutMs'],
    ];
    for (const [options, field] of cases) {
      const res = await call(`${base}/v1/models/iris/jobs`, 'POST', { ...IRIS, ...options }, AS_PREDICT);
      expect({ options, status: res.status, code: res.body.code }).toEqual({ options, status: 400, code: 'INVALID_INPUT' });
      expect(res.body.error).toMatch(new RegExp(`^${field} must be`));
    }
    const ok = await call(`${base}/v1/models/iris/jobs`, 'POST', { ...IRIS, priority: 1, attempts: 1, timeoutMs: 5000 }, AS_PREDICT);
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ priority: 1, maxAttempts: 1 });
  });

  it('answers 404 MODEL_NOT_FOUND for an unknown model, and 404 JOB_NOT_FOUND for an unknown or malformed job id', async () => {
    const model = await call(`${base}/v1/models/nope/jobs`, 'POST', IRIS, AS_PREDICT);
    expect(model.status).toBe(404);
    expect(model.body.code).toBe('MODEL_NOT_FOUND');
    for (const id of ['iris~00000000-0000-0000-0000-000000000000', 'gone-model~00000000-0000-0000-0000-000000000000', 'not-a-job-id', '..~abcdefgh']) {
      const res = await call(`${base}/v1/jobs/${encodeURIComponent(id)}`, 'GET', undefined, AS_PREDICT);
      expect({ id, status: res.status, code: res.body.code }).toEqual({ id, status: 404, code: 'JOB_NOT_FOUND' });
      const del = await call(`${base}/v1/jobs/${encodeURIComponent(id)}`, 'DELETE', undefined, AS_PREDICT);
      expect({ id, status: del.status }).toEqual({ id, status: 404 });
    }
  });

  it('answers the same job for the same Idempotency-Key (saying it is a replay), a new job for a new key, and 409 when a key comes back with a different body', async () => {
    const key = { ...AS_PREDICT, 'idempotency-key': `order-${Date.now()}` };
    const first = await call(`${base}/v1/models/iris/jobs`, 'POST', IRIS, key);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    await jobIn(base, first.body.id, ['completed'], 30_000, AS_PREDICT);
    const again = await call(`${base}/v1/models/iris/jobs`, 'POST', IRIS, key);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.state).toBe('completed');

    const other = await call(`${base}/v1/models/iris/jobs`, 'POST', IRIS, { ...key, 'idempotency-key': `${key['idempotency-key']}-2` });
    expect(other.body.id).not.toBe(first.body.id);

    const conflict = await call(`${base}/v1/models/iris/jobs`, 'POST', { instances: [[6.7, 3.0, 5.2, 2.3]] }, key);
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('CONFLICT');

    const concurrent = { ...AS_PREDICT, 'idempotency-key': `burst-${Date.now()}` };
    const burst = await Promise.all(Array.from({ length: 8 }, () => call(`${base}/v1/models/iris/jobs`, 'POST', IRIS, concurrent)));
    expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
  });

  it('answers DELETE of a job that has finished with 409 CONFLICT', async () => {
    const job = await submit(base, 'iris', IRIS, AS_PREDICT);
    await jobIn(base, job.id, ['completed'], 30_000, AS_PREDICT);
    const res = await call(`${base}/v1/jobs/${job.id}`, 'DELETE', undefined, AS_PREDICT);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CONFLICT');
    expect((await getJob(base, job.id, AS_PREDICT)).state).toBe('completed');
  });

  it('needs the predict scope for the jobs routes once predict keys are configured (401 without a key)', async () => {
    expect((await call(`${base}/v1/models/iris/jobs`, 'POST', IRIS)).status).toBe(401);
    expect((await call(`${base}/v1/jobs/iris~00000000-0000-0000-0000-000000000000`, 'GET')).status).toBe(401);
    expect((await call(`${base}/v1/jobs/iris~00000000-0000-0000-0000-000000000000`, 'DELETE')).status).toBe(401);
    expect((await call(`${base}/v1/models/iris/jobs`, 'POST', IRIS, AS_ADMIN)).status).toBe(202);
  });

  it('reports each model queue in /metrics (waiting, active, delayed, failed) and its backlog in readiness', async () => {
    const metrics = await call(`${base}/metrics`, 'GET');
    expect(metrics.status).toBe(200);
    for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
      expect(metrics.body).toMatch(new RegExp(`modelgate_queue_jobs\\{queue="predict\\.iris",model="iris",state="${state}"\\} \\d+`));
    }
    expect(metrics.body).toMatch(/modelgate_jobs_submitted_total\{queue="predict\.iris",model="iris"\} [1-9]/);
    expect(metrics.body).toMatch(/modelgate_jobs_finished_total\{queue="predict\.iris",model="iris",outcome="completed"\} [1-9]/);

    const ready = await call(`${base}/health/ready`, 'GET');
    expect(ready.status).toBe(200);
    expect(ready.body.info.queueBacklog).toMatchObject({ status: 'up', maxWaiting: running.config.queue.maxWaiting });
    expect(ready.body.info.queueBacklog.backlog).toHaveProperty(['predict.iris']);
  });

  it('consumes every model queue with one worker whose concurrency is at least the model\'s max batch size', () => {
    const workers = running.app.get(PredictionWorkers);
    const registry = running.app.get(ModelRegistry);
    const batchers = running.app.get(ModelBatchers);
    expect(workers.queues().sort()).toEqual(['predict.iris', 'predict.name-gender', 'predict.spam']);
    for (const servable of registry.available()) {
      expect(workers.concurrencyOf(servable.name)).toBeGreaterThanOrEqual(batchers.settingsOf(servable).maxBatchSize);
    }
  });

  it('serves bull-board at /admin/queues to admin keys only: 401 without a key or with an unknown one, 403 with a predict key, 200 with an admin key', async () => {
    for (const path of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/static/nothing.js']) {
      const none = await call(`${base}${path}`, 'GET');
      expect({ path, status: none.status, code: none.body.code }).toEqual({ path, status: 401, code: 'UNAUTHENTICATED' });
      const unknown = await call(`${base}${path}`, 'GET', undefined, { 'x-api-key': 'z'.repeat(24) });
      expect({ path, status: unknown.status }).toEqual({ path, status: 401 });
      const predict = await call(`${base}${path}`, 'GET', undefined, AS_PREDICT);
      expect({ path, status: predict.status, code: predict.body.code }).toEqual({ path, status: 403, code: 'FORBIDDEN' });
    }
    const page = await call(`${base}/admin/queues`, 'GET', undefined, AS_ADMIN);
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<!DOCTYPE html>');
    const api = await call(`${base}/admin/queues/api/queues`, 'GET', undefined, AS_ADMIN);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['predict.iris', 'predict.name-gender', 'predict.spam']));
  });
});

describe('jobs API with no queue-processor running (inference app alone: jobs stay queued)', () => {
  let running: RunningApp;
  let base: string;
  const MAX_WAITING = 5;
  beforeAll(async () => {
    running = await startInference({ queue: { maxWaiting: MAX_WAITING } });
    base = running.url;
  });
  afterAll(async () => {
    await running?.close();
    if (running) await dropKeys(running.config.redis.keyPrefix);
  });

  it('cancels a queued job with DELETE (200, cancelled), after which GET says cancelled and a second DELETE answers the same', async () => {
    const job = await submit(base, 'spam', { instances: ['WIN a FREE iPhone now'] });
    expect((await getJob(base, job.id)).state).toBe('queued');
    const del = await call(`${base}/v1/jobs/${job.id}`, 'DELETE');
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id: job.id, model: 'spam', state: 'cancelled' });
    expect(await getJob(base, job.id)).toMatchObject({ id: job.id, state: 'cancelled' });
    const again = await call(`${base}/v1/jobs/${job.id}`, 'DELETE');
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('cancelled');
  });

  it('answers 503 OVERLOADED with Retry-After once a model queue holds queue.maxWaiting jobs, and readiness then reports the full backlog', async () => {
    const accepted: string[] = [];
    for (let i = 0; i < MAX_WAITING; i++) accepted.push((await submit(base, 'name-gender', { instances: ['Maria'] })).id);
    const refused = await call(`${base}/v1/models/name-gender/jobs`, 'POST', { instances: ['John'] });
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('OVERLOADED');
    expect(refused.body.error).toContain('queue.maxWaiting');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // another model's queue is not affected (direct routing: one queue per model)
    expect((await call(`${base}/v1/models/iris/jobs`, 'POST', IRIS)).status).toBe(202);

    const ready = await call(`${base}/health/ready`, 'GET');
    expect(ready.status).toBe(503);
    expect(Object.keys(ready.body.error)).toEqual(['queueBacklog']);
    expect(ready.body.error.queueBacklog.message).toContain('predict.name-gender');

    // cancelling makes room again
    await call(`${base}/v1/jobs/${accepted[0]}`, 'DELETE');
    await jobIn(base, accepted[0], ['cancelled']);
    // the backlog is re-read from Redis at most every 250 ms: a retry soon after is accepted
    await waitFor('a job to be accepted again', async () => (await call(`${base}/v1/models/name-gender/jobs`, 'POST', { instances: ['John'] })).status === 202, 10_000, 100);
  });
});

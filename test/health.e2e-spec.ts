import request from 'supertest';
import { freePort, killAll, Spawned, startRedisServer, waitFor } from './support/processes';
import { RunningApp, startInference } from './support/test-app';

const IRIS_ROW = [5.1, 3.5, 1.4, 0.2];

describe('health probes (inference app, shared Redis)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startInference();
  });
  afterAll(() => running?.close());

  it('answers /health/live with 200 {"status":"ok"}', async () => {
    const res = await request(running.url).get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /health/ready with 200 and redis, models and eventLoop up', async () => {
    const res = await request(running.url).get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.error).toEqual({});
    for (const part of ['redis', 'models', 'eventLoop']) expect(res.body.info[part]).toMatchObject({ status: 'up' });
    expect(res.body.info.models.serving).toEqual(expect.arrayContaining(['iris@1', 'name-gender@1', 'spam@1']));
  });
});

describe('a Redis outage (inference app against a private redis-server)', () => {
  let redisPort: number;
  let redis: Spawned | undefined;
  let running: RunningApp | undefined;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedisServer(redisPort);
    running = await startInference({ redis: { url: `redis://127.0.0.1:${redisPort}` } });
  });
  afterAll(async () => {
    await running?.close();
    await killAll();
  });

  const ready = () => request(running!.url).get('/health/ready');
  const predictIris = () => request(running!.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW] });

  it('reports ready while its Redis answers', async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.info.redis).toEqual({ status: 'up' });
  });

  it('turns /health/ready 503 naming redis when Redis dies while staying ready to infer (/v2/health/ready), keeps serving inline predictions, and recovers by itself', async () => {
    await redis!.kill();

    const down = await waitFor('/health/ready to answer 503', async () => {
      const res = await ready();
      return res.status === 503 ? res : undefined;
    });
    expect(down.body.status).toBe('error');
    expect(down.body.error.redis).toMatchObject({ status: 'down', message: expect.stringMatching(/Redis/) });
    // Only Redis is named as failing: the models and the event loop still serve.
    expect(Object.keys(down.body.error)).toEqual(['redis']);
    expect(down.body.info.models).toMatchObject({ status: 'up' });

    const prediction = await predictIris();
    expect(prediction.status).toBe(200);
    expect(prediction.body.predictions[0].label).toBe('setosa');
    // Ready to infer all the same: the Kubernetes readiness probe of the inference app keeps it in its Service.
    expect((await request(running!.url).get('/v2/health/ready')).body).toEqual({ ready: true });

    redis = await startRedisServer(redisPort);
    const back = await waitFor('/health/ready to answer 200 again', async () => {
      const res = await ready();
      return res.status === 200 ? res : undefined;
    });
    expect(back.body.info.redis).toEqual({ status: 'up' });
    await predictIris().expect(200);
  });
});

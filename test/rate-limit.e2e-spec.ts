import request from 'supertest';
import { IRIS_ROW } from './support/model-repo';
import { RunningApp, startInference } from './support/test-app';

const KEY_A = 'predict-key-rate-limit-aaaa';
const KEY_B = 'predict-key-rate-limit-bbbb';
const ADMIN = 'admin-key-rate-limit-000001';
const body = { instances: [IRIS_ROW] };

describe('rate limiting of the predict-scope routes (token bucket per client)', () => {
  describe('with API keys: each key has its own bucket', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startInference({
        auth: { apiKeys: { [KEY_A]: ['predict'], [KEY_B]: ['predict'], [ADMIN]: ['admin'] }, rateLimitPerSecond: 1, rateLimitBurst: 3 },
      });
    });
    afterAll(() => app.close());
    const predictAs = (key: string) => request(app.url).post('/v1/models/iris:predict').set('X-API-Key', key).send(body);

    it('answers a burst, then 429 RATE_LIMITED with Retry-After, and again once a token is due', async () => {
      for (let i = 0; i < 3; i++) expect((await predictAs(KEY_A)).status).toBe(200);
      const limited = await predictAs(KEY_A);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ code: 'RATE_LIMITED', error: expect.stringMatching(/rate limit of 1 requests per second \(bursts of 3\) exceeded/) });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      // Other predict-scope routes share the bucket.
      expect((await request(app.url).get('/v1/models/iris').set('X-API-Key', KEY_A)).status).toBe(429);
      expect((await predictAs(KEY_B)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
      expect((await predictAs(KEY_A)).status).toBe(200);
    });

    it('never limits admin routes or probes, and answers unknown keys 401 however many come', async () => {
      for (let i = 0; i < 6; i++) {
        expect((await request(app.url).post('/v2/repository/index').set('X-API-Key', ADMIN)).status).toBe(200);
        expect((await request(app.url).get('/health/live')).status).toBe(200);
        expect((await request(app.url).post('/v1/models/iris:predict').set('X-API-Key', 'unknown-key-rate-limit-01').send(body)).status).toBe(401);
      }
    });
  });

  describe('without API keys: the client is its address', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startInference({ auth: { rateLimitPerSecond: 0.5, rateLimitBurst: 2 } });
    });
    afterAll(() => app.close());

    it('limits an open prediction route per address, invented keys included', async () => {
      const send = (key?: string) => {
        const req = request(app.url).post('/v1/models/iris:predict');
        return (key ? req.set('X-API-Key', key) : req).send(body);
      };
      expect((await send()).status).toBe(200);
      expect((await send('invented-key-0000000001')).status).toBe(200);
      const limited = await send('invented-key-0000000002');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('2');
    });
  });
});

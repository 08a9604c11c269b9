import { freePort, isolatedEnv, killAll, redisAnswers, spawnTs, Spawned, waitFor } from './support/processes';
import { REDIS_URL } from './support/test-config';

/**
 * The apps as an operator runs them: separate processes started from source (as `npm run start:dev`),
 * with their environment, exit codes and output. Every process runs in its own process group, and
 * afterEach kills whatever a test left running, including a private redis-server.
 */

const IRIS = { instances: [[5.1, 3.5, 1.4, 0.2]] };

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

function answers(url: string, status = 200): () => Promise<boolean> {
  return async () => (await get(url)).status === status;
}

/** Waits for a spawned app to answer, failing early (with its output) when it exits instead. */
function waitUntilServing(app: Spawned, url: string, timeoutMs = 60_000): Promise<boolean> {
  return waitFor(`${url} to answer 200`, async () => {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`the app exited (${app.child.exitCode ?? app.child.signalCode}): ${app.stdout()}${app.stderr()}`);
    }
    return answers(url)().catch(() => false);
  }, timeoutMs, 200);
}

afterEach(() => killAll());

describe('the all-in-one launcher (src/main.ts)', () => {
  it('stops at once on a bad setting with exit code 1 and exactly one stderr line naming it', async () => {
    const app = spawnTs('src/main.ts', isolatedEnv({ PORT: 'eighty', REDIS_URL }));
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    const lines = app.stderr().split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('server.port (PORT)');
    expect(lines[0]).toContain('eighty');
  });

  it('starts a private redis-server when none answers at REDIS_URL, says so, serves predictions, and on SIGTERM exits 0 taking that redis-server with it', async () => {
    const redisPort = await freePort();
    const port = await freePort();
    expect(await redisAnswers(redisPort)).toBe(false);
    const app = spawnTs('src/main.ts', isolatedEnv({ PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redisPort}` }));

    await waitUntilServing(app, `http://127.0.0.1:${port}/health/live`);
    expect(app.stdout()).toContain('started a private redis-server');
    expect(app.stdout()).toContain(`port ${redisPort}`);
    expect(await redisAnswers(redisPort)).toBe(true);

    const res = await fetch(`http://127.0.0.1:${port}/v1/models/iris:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(IRIS),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { predictions: { label: string }[] }).predictions[0].label).toBe('setosa');
    await waitFor('readiness with the private Redis', answers(`http://127.0.0.1:${port}/health/ready`));

    app.child.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    await waitFor(`the private redis-server on port ${redisPort} to stop`, async () => !(await redisAnswers(redisPort)), 10_000);
  });

  it('with MODELGATE_REDIS_EMBEDDED=false and no Redis at REDIS_URL, says what to install or run and exits non-zero', async () => {
    const redisPort = await freePort();
    const app = spawnTs('src/main.ts', isolatedEnv({ PORT: String(await freePort()), REDIS_URL: `redis://127.0.0.1:${redisPort}`, MODELGATE_REDIS_EMBEDDED: 'false' }));
    const exit = await app.exited;
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(app.stderr()).toContain('redis-server');
    expect(app.stderr()).toContain('REDIS_URL');
    expect(app.stderr()).toContain(`127.0.0.1:${redisPort}`);
    expect(await redisAnswers(redisPort)).toBe(false);
  });
});

describe.each([
  { name: 'queue-processor', file: 'apps/queue-processor/src/main.ts', portEnv: 'MODELGATE_QUEUE_PROCESSOR_HEALTH_PORT' },
  { name: 'scheduler', file: 'apps/scheduler/src/main.ts', portEnv: 'MODELGATE_SCHEDULER_HEALTH_PORT' },
])('the $name started alone', ({ file, portEnv }) => {
  it('answers /health/live and /health/ready with 200 on its own port, logs that it is connected to Redis, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const app = spawnTs(file, isolatedEnv({ [portEnv]: String(port), REDIS_URL }));
    const base = `http://127.0.0.1:${port}`;

    await waitUntilServing(app, `${base}/health/live`);
    expect(await get(`${base}/health/live`)).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await waitFor(`${base}/health/ready to answer 200`, async () => {
      const res = await get(`${base}/health/ready`);
      return res.status === 200 ? res : undefined;
    });
    expect(ready.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
    await waitFor('"connected to Redis" on stdout', () => app.stdout().includes('connected to Redis'), 10_000);

    app.child.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
  });
});

import { readdirSync, readFileSync } from 'fs';
import { request as httpRequest } from 'http';
import { join } from 'path';
import { call, inferenceClient } from './support/grpc-client';
import { jobIn, submit } from './support/jobs';
import { freePort, isolatedEnv, killAll, spawnTs, Spawned, waitFor } from './support/processes';
import { REDIS_URL } from './support/test-config';

/**
 * `server.workers: 2` as an operator runs it: the all-in-one launcher from source, a primary and two
 * whole servers on one HTTP port and one gRPC port.
 */

interface Answer {
  status: number;
  worker?: string;
  body: string;
}

/**
 * A connection accepted for a worker that dies before it reads it gets no answer at all, not a reset:
 * clients need a timeout to notice (3 s here), as any client of a server that can crash does.
 */
const CLIENT_TIMEOUT_MS = 3000;

/** One request on a fresh connection, so that the cluster's round robin hands it to the next worker. */
function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { connection: 'close' }, timeout: CLIENT_TIMEOUT_MS }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, worker: res.headers['x-modelgate-worker'] as string | undefined, body }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** A :predict POST on a fresh connection, never retried (it is not idempotent). */
function predict(port: number): Promise<number> {
  const body = JSON.stringify({ instances: [[5.1, 3.5, 1.4, 0.2]] });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/v1/models/iris:predict', method: 'POST', timeout: CLIENT_TIMEOUT_MS, headers: { connection: 'close', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => (res.resume(), res.on('end', () => resolve(res.statusCode!))),
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** An idempotent GET as a careful client sends it: once more on a connection error. */
async function getWithRetry(port: number, path: string): Promise<Answer> {
  try {
    return await get(port, path);
  } catch {
    return get(port, path);
  }
}

/** The worker processes of a primary, by their MODELGATE_WORKER_INDEX (read from /proc). */
function workerPids(primary: number): Map<string, number> {
  const pids = new Map<string, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (!new RegExp(`^PPid:\\s+${primary}$`, 'm').test(status)) continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const index = env.find((v) => v.startsWith('MODELGATE_WORKER_INDEX='));
      if (index) pids.set(index.split('=')[1], Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

describe('server workers (server.workers: 2)', () => {
  let app: Spawned;
  let port: number;
  let grpcPort: number;
  let logDir: string;

  beforeAll(async () => {
    port = await freePort();
    grpcPort = await freePort();
    const env = isolatedEnv({ PORT: String(port), MODELGATE_GRPC_PORT: String(grpcPort), REDIS_URL, MODELGATE_SERVER_WORKERS: '2' });
    logDir = env.LOG_DIR;
    app = spawnTs('src/main.ts', env);
    await waitFor('two workers to serve', async () => {
      if (app.child.exitCode !== null) throw new Error(`the launcher exited: ${app.stdout()}${app.stderr()}`);
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const answer = await get(port, '/health/ready').catch(() => undefined);
        if (answer?.status === 200 && answer.worker !== undefined) seen.add(answer.worker);
      }
      return seen.size === 2;
    }, 90_000, 250);
  });
  afterAll(() => killAll());

  it('answers from two processes on one HTTP port, and serves gRPC on one port too', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => get(port, '/v2/health/live')));
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(['0', '1']));
    expect(workerPids(app.child.pid!).size).toBe(2);
    for (let i = 0; i < 4; i++) {
      const client = inferenceClient(`127.0.0.1:${grpcPort}`);
      expect((await call(client, 'ServerLive', {})).answer).toEqual({ live: true });
      client.close();
    }
  });

  it('serves one /metrics that sums every worker', async () => {
    const before = await get(port, '/metrics');
    const count = (text: string) => Number(/^modelgate_http_requests_total\{method="GET",route="\/v2\/health\/ready",status="200"\} (\d+)/m.exec(text)?.[1] ?? 0);
    const served = await Promise.all(Array.from({ length: 12 }, () => get(port, '/v2/health/ready')));
    expect(new Set(served.map((a) => a.worker)).size).toBe(2);
    const after = await get(port, '/metrics');
    expect(count(after.body) - count(before.body)).toBe(12);
  });

  it('runs queued jobs once, in worker 0 only, with every worker taking jobs over HTTP', async () => {
    const base = `http://127.0.0.1:${port}`;
    const jobs = await Promise.all(Array.from({ length: 6 }, () => submit(base, 'iris')));
    for (const job of jobs) {
      const done = await jobIn(base, job.id, ['completed']);
      expect(done.attempts).toBe(1);
    }
    const logs = readdirSync(logDir).filter((f) => f.endsWith('.log'));
    const workerOneLog = logs.filter((f) => f.startsWith('inference-1')).map((f) => readFileSync(join(logDir, f), 'utf8')).join('');
    const workerZeroLog = logs.filter((f) => f.startsWith('modelgate')).map((f) => readFileSync(join(logDir, f), 'utf8')).join('');
    expect(workerZeroLog).toMatch(/"context":"QueueProcessor","level":"info","message":"consuming [^"]*predict\.iris/);
    expect(workerZeroLog).toMatch(/"context":"Scheduler"/);
    expect(workerOneLog).not.toMatch(/"context":"(QueueProcessor|Scheduler)"/);
  });

  it('replaces a killed worker while the other keeps answering: no idempotent GET fails when retried once', async () => {
    const before = workerPids(app.child.pid!);
    const victim = before.get('1')!;
    let stop = false;
    const failures: unknown[] = [];
    const statuses: number[] = [];
    const posts: (number | string)[] = [];
    const load = (async () => {
      while (!stop) {
        try {
          statuses.push((await getWithRetry(port, '/v2/health/live')).status);
        } catch (error) {
          failures.push(error);
        }
        // A POST in flight when its worker dies gets no answer: a reset, or nothing until the client's timeout.
        posts.push(await predict(port).catch((error: NodeJS.ErrnoException) => error.code ?? error.message));
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    process.kill(victim, 'SIGKILL');
    await waitFor('a new worker 1', () => {
      const now = workerPids(app.child.pid!).get('1');
      return now !== undefined && now !== victim;
    }, 30_000, 100);
    // A new worker compiles and loads the models again: seconds, longer on a busy machine.
    await waitFor('the new worker 1 to answer', async () => {
      const answers = await Promise.all([get(port, '/health/ready'), get(port, '/health/ready')].map((p) => p.catch(() => undefined)));
      return answers.some((a) => a?.status === 200 && a.worker === '1');
    }, 150_000, 200);
    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const lost = posts.filter((p) => p !== 200);
    expect(lost.every((p) => ['ECONNRESET', 'socket hang up', 'EPIPE', 'TIMEOUT'].includes(String(p)))).toBe(true);
    process.stdout.write(`POSTs during the kill: ${posts.length}, answered 200: ${posts.length - lost.length}, lost: ${lost.join(', ') || 'none'}\n`);
    expect(app.stdout()).toMatch(/worker 1 \(pid \d+\) exited \(SIGKILL\); starting a new one/);
  }, 180_000);

  it('drains every worker on SIGTERM and exits 0', async () => {
    const workers = [...workerPids(app.child.pid!).values()];
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.stdout()).toMatch(/SIGTERM: draining 2 workers/);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});

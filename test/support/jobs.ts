import { mkdtempSync } from 'fs';
import Redis from 'ioredis';
import type { JobView } from '@app/queue';
import { deleteKeysMatching } from '@app/redis';
import { tmpdir } from 'os';
import { join } from 'path';
import { freePort, isolatedEnv, redisAnswers, spawnProcess, spawnTs, Spawned, waitFor } from './processes';
import { REDIS_URL } from './test-config';

export const IRIS = { instances: [[5.1, 3.5, 1.4, 0.2]] };

/** GET /v1/jobs/{id}, with the result of a classification model spelled out for the tests. */
export type JobBody = Omit<JobView, 'result'> & {
  result?: { model: string; version: number; predictions?: { label: string }[] } & Record<string, unknown>;
};

/** Plain fetch against an app: status, headers and parsed JSON body. */
export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (bull-board's page)
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export async function submit(base: string, model: string, body: unknown = IRIS, headers: Record<string, string> = {}): Promise<JobBody> {
  const res = await call(`${base}/v1/models/${model}/jobs`, 'POST', body, headers);
  if (res.status !== 202) throw new Error(`submit answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as JobBody;
}

export async function getJob(base: string, id: string, headers: Record<string, string> = {}): Promise<JobBody> {
  const res = await call(`${base}/v1/jobs/${encodeURIComponent(id)}`, 'GET', undefined, headers);
  if (res.status !== 200) throw new Error(`GET job answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as JobBody;
}

/** Polls GET /v1/jobs/{id} until the job is in one of `states`. */
export function jobIn(base: string, id: string, states: JobBody['state'][], timeoutMs = 30_000, headers: Record<string, string> = {}): Promise<JobBody> {
  return waitFor(`job ${id} to be ${states.join(' or ')}`, async () => {
    const job = await getJob(base, id, headers);
    return states.includes(job.state) ? job : undefined;
  }, timeoutMs, 50);
}

/** Removes every key under a test's prefix from the shared Redis (never FLUSHDB: others use it too). */
export async function dropKeys(prefix: string, url = REDIS_URL): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await deleteKeysMatching(redis, `${prefix}:*`);
  } catch {
    // Redis gone (a test stopped its private one): nothing to clean
  } finally {
    redis.disconnect();
  }
}

export interface QueueProcessor {
  proc: Spawned;
  healthUrl: string;
}

/**
 * A queue-processor from source (as `npm run start:dev` runs it), waiting until its probes say ready
 * unless `waitReady` is false (it may take jobs before it answers its probes).
 */
export async function startQueueProcessor(env: Record<string, string>, waitReady = true): Promise<QueueProcessor> {
  const port = await freePort();
  const proc = spawnTs('apps/queue-processor/src/main.ts', isolatedEnv({ REDIS_URL, MODELGATE_QUEUE_PROCESSOR_HEALTH_PORT: String(port), ...env }));
  const healthUrl = `http://127.0.0.1:${port}`;
  if (!waitReady) return { proc, healthUrl };
  await waitFor('the queue-processor to be ready', async () => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`the queue-processor exited (${proc.child.exitCode ?? proc.child.signalCode}): ${proc.stdout()}${proc.stderr()}`);
    }
    const res = await fetch(`${healthUrl}/health/ready`).catch(() => undefined);
    return res?.status === 200;
  }, 90_000, 200);
  return { proc, healthUrl };
}

/** A private redis-server that keeps its data in an append-only file, as docker-compose's does. */
export async function startPersistentRedis(port: number, dir = mkdtempSync(join(tmpdir(), 'modelgate-aof-redis-'))): Promise<{ redis: Spawned; dir: string }> {
  const redis = spawnProcess(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--dir', dir],
    {},
  );
  await waitFor(`redis-server on port ${port}`, async () => {
    if (redis.child.exitCode !== null) throw new Error(`redis-server exited: ${redis.stdout()}${redis.stderr()}`);
    return redisAnswers(port);
  });
  return { redis, dir };
}

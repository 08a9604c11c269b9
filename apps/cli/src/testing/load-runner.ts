import autocannon from 'autocannon';
import type { EventEmitter } from 'events';
import { performance } from 'perf_hooks';
import { HttpClient, TransportError } from '../server/http-client';
import { LatencyRecord } from './latency-record';

export type LoadShape =
  | { mode: 'open'; users: number; ratePerUserPerMinute: number; durationSeconds: number }
  | { mode: 'closed'; concurrency: number; durationSeconds: number };

export interface LiveStatus {
  elapsedSeconds: number;
  answered: number;
  /** Answers per second over the last second. */
  rate: number;
  p99Ms: number;
  errors: number;
}

export interface LoadRun {
  record: LatencyRecord;
  connections: number;
  /** Wall time from the first request to the last answer, at least the duration asked for. */
  elapsedSeconds: number;
}

const REQUEST_TIMEOUT_S = 30;

/**
 * Drives POST `path` with the bodies in turn. Open loop (`--users n --rate x/min`): requests arrive on a
 * fixed schedule, n·x/60 a second, over n keep-alive connections, whether or not earlier ones were answered,
 * and latency counts from the scheduled arrival (a request waiting for a free connection is waiting for the
 * server; measuring from the send would hide it). Closed loop (`--concurrency c`): autocannon keeps c
 * requests in flight, each connection sending its next as soon as the last is answered.
 */
export async function runLoadShape(
  baseUrl: string,
  apiKey: string | undefined,
  path: string,
  bodies: string[],
  shape: LoadShape,
  onTick?: (status: LiveStatus) => void,
): Promise<LoadRun> {
  const record = new LatencyRecord();
  const start = performance.now();
  const marks: number[] = [];
  const ticker = setInterval(() => {
    const count = record.count;
    marks.push(count);
    onTick?.({
      elapsedSeconds: Math.min(shape.durationSeconds, (performance.now() - start) / 1000),
      answered: count,
      rate: count - (marks[marks.length - 2] ?? 0),
      // p99 of the last five seconds: what the server does now, not since the start.
      p99Ms: record.quantile(0.99, marks[marks.length - 6] ?? 0),
      errors: record.errorCount,
    });
  }, 1000);
  try {
    const connections = shape.mode === 'open' ? shape.users : shape.concurrency;
    if (shape.mode === 'open') await openLoop(baseUrl, apiKey, path, bodies, shape, record, start);
    else await closedLoop(baseUrl, apiKey, path, bodies, shape, record, start);
    return { record, connections, elapsedSeconds: Math.max(shape.durationSeconds, (performance.now() - start) / 1000) };
  } finally {
    clearInterval(ticker);
  }
}

async function openLoop(
  baseUrl: string,
  apiKey: string | undefined,
  path: string,
  bodies: string[],
  shape: Extract<LoadShape, { mode: 'open' }>,
  record: LatencyRecord,
  start: number,
): Promise<void> {
  const client = new HttpClient(baseUrl, apiKey, shape.users);
  const perSecond = (shape.users * shape.ratePerUserPerMinute) / 60;
  const total = Math.max(1, Math.round(perSecond * shape.durationSeconds));
  const intervalMs = 1000 / perSecond;
  const pending = new Set<Promise<void>>();
  const fire = (k: number) => {
    const scheduled = k * intervalMs;
    const sent = client
      .request(path, { body: bodies[k % bodies.length], headers: { 'content-type': 'application/json' }, timeoutMs: REQUEST_TIMEOUT_S * 1000 })
      .then(
        (answer) => record.add(scheduled, performance.now() - start - scheduled, answer.status),
        (error: unknown) => record.add(scheduled, NaN, 0, failureKind(error)),
      )
      .finally(() => pending.delete(sent));
    pending.add(sent);
  };
  try {
    await new Promise<void>((resolve) => {
      let k = 0;
      const tick = () => {
        const now = performance.now() - start;
        // Timers fire late under load: send every arrival that is due, then sleep until the next one.
        while (k < total && k * intervalMs <= now) fire(k++);
        if (k >= total) return resolve();
        setTimeout(tick, Math.max(0, Math.min(10, k * intervalMs - now)));
      };
      tick();
    });
    while (pending.size) await Promise.all([...pending]);
  } finally {
    client.close();
  }
}

async function closedLoop(
  baseUrl: string,
  apiKey: string | undefined,
  path: string,
  bodies: string[],
  shape: Extract<LoadShape, { mode: 'closed' }>,
  record: LatencyRecord,
  start: number,
): Promise<void> {
  let next = 0;
  const instance = autocannon({
    url: baseUrl + path,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
    connections: shape.concurrency,
    duration: shape.durationSeconds,
    timeout: REQUEST_TIMEOUT_S,
  }) as unknown as Promise<unknown> & EventEmitter;
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    const now = performance.now() - start;
    record.add(now - responseTime, responseTime, status);
  });
  instance.on('reqError', (error: Error) => record.add(performance.now() - start, NaN, 0, /timed out/.test(error.message) ? 'timeout' : 'connection'));
  await instance;
}

function failureKind(error: unknown): string {
  if (error instanceof TransportError && error.code === 'ETIMEDOUT') return 'timeout';
  return 'connection';
}

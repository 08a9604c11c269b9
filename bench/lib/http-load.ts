import autocannon from 'autocannon';

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  /** Completed 2xx responses per second. */
  throughput: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * autocannon against one route, on loopback only, for a bounded time: one body for every request, or a
 * function that makes each request's own (for runs where no two requests may be alike).
 */
export async function drive(
  url: string,
  body: string | Buffer | (() => string),
  connections: number,
  seconds: number,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<LoadResult> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) throw new Error(`load goes to loopback only, not ${url}`);
  const result = await autocannon({
    url,
    method: 'POST',
    headers,
    ...(typeof body === 'function'
      ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }] }
      : { body }),
    connections,
    duration: seconds,
    timeout: 30,
  });
  const ok = result['2xx'];
  return {
    connections,
    durationSeconds: seconds,
    requests: result.requests.total,
    throughput: ok / seconds,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * Concurrency 1 with microsecond timing: autocannon reports whole milliseconds, too coarse to check
 * that batching adds less than 1 ms to an idle server's latency.
 */
export async function driveSequential(url: string, body: string, seconds: number): Promise<LoadResult> {
  const http = await import('http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = process.hrtime.bigint();
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      if (status < 200 || status >= 300) non2xx++;
      else latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    } catch {
      errors++;
    }
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 1000) / 1000;
  return {
    connections: 1,
    durationSeconds: seconds,
    requests: latencies.length + non2xx,
    throughput: latencies.length / seconds,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    non2xx,
    errors,
    timeouts: 0,
  };
}

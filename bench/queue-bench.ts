/**
 * Queue benchmark: submit iris and mlp-bench jobs through the jobs API as fast as it takes them, wait for
 * every one to complete, and report submit rate, completion rate, end-to-end latency (p50/p99, from the
 * job's createdAt to its finishedAt) and the batch-size histogram (queued jobs are batched).
 *
 *   npx ts-node --transpile-only -r tsconfig-paths/register bench/queue-bench.ts [--iris N] [--mlp N]
 *       [--concurrency C] [--out bench/results/queue.json]
 *
 * It starts the all-in-one app (src/main.ts, from source) as a child process on 127.0.0.1 with a model
 * repository of iris and mlp-bench (built by `npm run models:bench` into .build/models), its own Redis key
 * prefix (removed at the end) and the access log off, drives it with keep-alive HTTP from this process,
 * and writes the result as JSON. Target on the reference machine: >= 2,000 iris jobs/s end to end.
 */
import { ChildProcess, spawn } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import http from 'http';
import Redis from 'ioredis';
import { deleteKeysMatching } from '@app/redis';
import { AddressInfo, createServer } from 'net';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

const ROOT = resolve(__dirname, '..');

interface Options {
  iris: number;
  mlp: number;
  concurrency: number;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { iris: 20_000, mlp: 5_000, concurrency: 64, out: join(ROOT, 'bench/results/queue.json') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const count = (name: string, max: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} takes an integer from 0 to ${max}, got '${value}'`);
      i++;
      return n;
    };
    if (flag === '--iris') options.iris = count('--iris', 1_000_000);
    else if (flag === '--mlp') options.mlp = count('--mlp', 200_000);
    else if (flag === '--concurrency') options.concurrency = Math.max(1, count('--concurrency', 1024));
    else if (flag === '--out') {
      options.out = resolve(value);
      i++;
    }
    else throw new Error(`unknown argument '${flag}' (known: --iris N, --mlp N, --concurrency C, --out FILE)`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work(i)` for i in [0, n) on `concurrency` lanes. */
async function lanes(n: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

// ---------------------------------------------------------------------------------------------- app

function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePromise(port));
    });
  });
}

/** A temp repository with copies of the models (the registry refuses links that lead outside it). */
function benchRepository(models: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'modelgate-bench-repo-'));
  for (const model of models) {
    const source = model === 'mlp-bench' ? join(ROOT, '.build/models/mlp-bench') : join(ROOT, 'models', model);
    if (!existsSync(source)) throw new Error(`${source} is missing${model === 'mlp-bench' ? ': build it with `npm run models:bench`' : ''}`);
    cpSync(source, join(root, model), { recursive: true });
  }
  return root;
}

async function startApp(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  // whatever happens to this process (an error, Ctrl-C), the app goes with it
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  process.once('exit', killGroup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  const deadline = Date.now() + 120_000;
  let last = '';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    const ready = await request(port, 'GET', '/health/ready').catch((e: Error) => ({ status: 0, body: e.message }));
    if (ready.status === 200) return child;
    last = ready.body;
    if (Date.now() > deadline) {
      await stopApp(child);
      throw new Error(`the app did not become ready within 120 s: ${last.slice(0, 300)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolvePromise();
    }
  });
}

async function dropKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await deleteKeysMatching(redis, `${prefix}:*`);
  } catch {
    // an embedded Redis went with the app
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------- run

interface Submitted {
  model: string;
  id: string;
}

interface ModelReport {
  jobs: number;
  submitRatePerSecond: number;
  completed: number;
  failed: number;
  completionRatePerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  batchSize: { mean: number; histogram: Record<string, number> };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function irisRow(i: number): number[] {
  return [4.3 + (i % 36) / 10, 2.0 + (i % 24) / 10, 1.0 + (i % 59) / 10, 0.1 + (i % 25) / 10];
}

function mlpRow(i: number): number[] {
  return Array.from({ length: 784 }, (_, k) => ((i * 31 + k * 17) % 256) / 255);
}

/** Per-model batch sizes from /metrics (modelgate_batch_size_rows: cumulative buckets -> counts per bucket). */
function batchHistogram(metrics: string, model: string): { mean: number; histogram: Record<string, number> } {
  const buckets: [string, number][] = [];
  let sum = 0;
  let count = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('modelgate_batch_size_rows') || !line.includes(`model="${model}"`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('modelgate_batch_size_rows_bucket')) buckets.push([/le="([^"]+)"/.exec(line)![1], value]);
    else if (line.startsWith('modelgate_batch_size_rows_sum')) sum += value;
    else if (line.startsWith('modelgate_batch_size_rows_count')) count += value;
  }
  const histogram: Record<string, number> = {};
  let previous = 0;
  for (const [le, cumulative] of buckets) {
    histogram[le === '+Inf' ? '+Inf' : `<=${le}`] = cumulative - previous;
    previous = cumulative;
  }
  return { mean: count > 0 ? Math.round((sum / count) * 100) / 100 : 0, histogram };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const models = [...(options.iris > 0 ? ['iris'] : []), ...(options.mlp > 0 ? ['mlp-bench'] : [])];
  if (models.length === 0) throw new Error('nothing to do: --iris and --mlp are both 0');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `mgbench-${process.pid}-${Date.now().toString(36)}`;
  const port = await freePort();
  const repository = benchRepository(models);
  const logDir = mkdtempSync(join(tmpdir(), 'modelgate-bench-logs-'));
  const total = options.iris + options.mlp;
  process.stdout.write(`queue bench: ${options.iris} iris + ${options.mlp} mlp-bench jobs, ${options.concurrency} connections, app on 127.0.0.1:${port}\n`);

  let app: ChildProcess | undefined;
  try {
    app = await startApp(port, {
      PORT: String(port),
      MODELGATE_SERVER_HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      MODELGATE_REDIS_KEY_PREFIX: prefix,
      MODEL_REPOSITORY: repository,
      LOG_DIR: logDir,
      LOG_LEVEL: 'warn',
      MODELGATE_LOGGING_ACCESS_LOG: 'false',
      MODELGATE_MODELS_WATCH: 'false',
      MODELGATE_MODELS_POLL_INTERVAL_SECONDS: '0',
      // Every job must reach the model: the rows repeat, and the prediction cache would answer them.
      MODELGATE_CACHE_POLICY: 'off',
      // The bench measures throughput, not backpressure: room for every job it submits.
      MODELGATE_QUEUE_MAX_WAITING: String(Math.max(10_000, total + 1_000)),
    });
    // one warm-up job per model (first-touch costs: Lua script load, worker fetch loop)
    for (const model of models) {
      const body = JSON.stringify({ instances: [model === 'iris' ? irisRow(0) : mlpRow(0)] });
      const res = await request(port, 'POST', `/v1/models/${model}:predict`, body);
      if (res.status !== 200) throw new Error(`warm-up ${model}: ${res.status} ${res.body}`);
    }
    const mlpBodies = Array.from({ length: 16 }, (_, i) => JSON.stringify({ instances: [mlpRow(i)] }));
    const plan: string[] = [];
    // interleaved, as mixed traffic arrives: 4 iris jobs per mlp-bench job with the default counts
    for (let i = 0, j = 0; i < options.iris || j < options.mlp; ) {
      if (i < options.iris && (j >= options.mlp || i * options.mlp <= j * options.iris)) {
        plan.push('iris');
        i++;
      } else {
        plan.push('mlp-bench');
        j++;
      }
    }

    const submitted: Submitted[] = [];
    const submitStart: Record<string, number> = {};
    const submitEnd: Record<string, number> = {};
    let retried503 = 0;
    const started = Date.now();
    await lanes(plan.length, options.concurrency, async (i) => {
      const model = plan[i];
      const body = model === 'iris' ? JSON.stringify({ instances: [irisRow(i)] }) : mlpBodies[i % mlpBodies.length];
      submitStart[model] ??= Date.now();
      for (let attempt = 0; ; attempt++) {
        const res = await request(port, 'POST', `/v1/models/${model}/jobs`, body);
        if (res.status === 202) {
          submitted.push({ model, id: (JSON.parse(res.body) as { id: string }).id });
          break;
        }
        if (res.status !== 503 || attempt > 100) throw new Error(`submit ${model}: ${res.status} ${res.body}`);
        retried503++;
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers['retry-after'] ?? 1)));
      }
      submitEnd[model] = Date.now();
    });
    const submitSeconds = (Date.now() - started) / 1000;
    process.stdout.write(`submitted ${submitted.length} jobs in ${submitSeconds.toFixed(1)} s (${Math.round(submitted.length / submitSeconds)}/s)\n`);

    // wait for the queues to empty (bounded), reading the queue gauges the app exports
    const deadline = Date.now() + Math.max(120_000, total * 20);
    for (;;) {
      const metrics = (await request(port, 'GET', '/metrics')).body;
      const open = models.reduce((n, m) => {
        for (const state of ['waiting', 'active', 'delayed']) {
          const match = new RegExp(`modelgate_queue_jobs\\{queue="predict\\.${m.replace('.', '\\.')}",state="${state}"\\} (\\d+)`).exec(metrics);
          n += match ? Number(match[1]) : 1;
        }
        return n;
      }, 0);
      if (open === 0) break;
      if (Date.now() > deadline) throw new Error(`jobs still open after the bound: ${open}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    // every job's timestamps, as a client reads them
    const finished: { model: string; state: string; createdAt: number; finishedAt: number }[] = [];
    await lanes(submitted.length, options.concurrency, async (i) => {
      const { model, id } = submitted[i];
      const res = await request(port, 'GET', `/v1/jobs/${encodeURIComponent(id)}`);
      const job = JSON.parse(res.body) as { state: string; createdAt: string; finishedAt?: string };
      finished.push({ model, state: job.state, createdAt: Date.parse(job.createdAt), finishedAt: job.finishedAt ? Date.parse(job.finishedAt) : NaN });
    });
    const metrics = (await request(port, 'GET', '/metrics')).body;

    const report: Record<string, ModelReport> = {};
    for (const model of models) {
      const mine = finished.filter((f) => f.model === model);
      const done = mine.filter((f) => f.state === 'completed');
      const latencies = done.map((f) => f.finishedAt - f.createdAt).sort((a, b) => a - b);
      const firstCreated = Math.min(...mine.map((f) => f.createdAt));
      const lastFinished = Math.max(...done.map((f) => f.finishedAt));
      report[model] = {
        jobs: mine.length,
        submitRatePerSecond: Math.round(mine.length / Math.max(0.001, (submitEnd[model] - submitStart[model]) / 1000)),
        completed: done.length,
        failed: mine.filter((f) => f.state === 'failed').length,
        completionRatePerSecond: Math.round(done.length / Math.max(0.001, (lastFinished - firstCreated) / 1000)),
        latencyMs: { p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), p99: percentile(latencies, 0.99), max: latencies[latencies.length - 1] ?? NaN },
        batchSize: batchHistogram(metrics, model),
      };
    }
    const result = {
      benchmark: 'queue',
      date: new Date().toISOString(),
      machine: { cpus: (await import('os')).cpus().length, node: process.version },
      options: { iris: options.iris, mlp: options.mlp, concurrency: options.concurrency },
      submit: { jobs: submitted.length, seconds: Math.round(submitSeconds * 100) / 100, ratePerSecond: Math.round(submitted.length / submitSeconds), retriedAfter503: retried503 },
      models: report,
      target: { irisCompletedPerSecond: 2000, met: (report.iris?.completionRatePerSecond ?? 0) >= 2000 },
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
    for (const [model, r] of Object.entries(report)) {
      process.stdout.write(
        `${model}: ${r.completed}/${r.jobs} completed, submit ${r.submitRatePerSecond}/s, completion ${r.completionRatePerSecond}/s, ` +
          `latency p50 ${r.latencyMs.p50} ms p99 ${r.latencyMs.p99} ms, mean batch ${r.batchSize.mean} rows\n`,
      );
    }
    process.stdout.write(`wrote ${options.out}\n`);
  } finally {
    if (app) await stopApp(app);
    await dropKeys(redisUrl, prefix);
    rmSync(repository, { recursive: true, force: true });
    rmSync(logDir, { recursive: true, force: true });
    agent.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`queue bench failed: ${error.message}\n`);
  process.exit(1);
});

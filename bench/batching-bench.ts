/**
 * `npm run bench`: the mlp-bench model (784-2048-2048-10) over HTTP on loopback, one row per request, at
 * concurrency 1, 8, 64 and 256, with batching off and each policy on; the raw in-process session.run
 * limit and bare Fastify's HTTP limit (same body parser, fixed answer) measured in the same run, each c=64
 * figure paired with a bare run right after it; a cached case (hit path against miss path, and c=1 hits);
 * the protocols at c=64 (TF Serving JSON, V2 binary, V2 gRPC unary and streamed, raw tensors) against a
 * bare grpc-js server's limit; two server workers. Writes bench/results/batching.json and batching.svg.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { cpus, tmpdir, totalmem } from 'os';
import { join } from 'path';
import { buildMlpBench } from '../scripts/build-mlp-bench';
import { startBareGrpcServer } from './lib/bare-grpc-server';
import { driveGrpcStream, driveGrpcUnary, encodeInferRequest } from './lib/grpc-load';
import { drive, driveSequential, LoadResult } from './lib/http-load';
import { measureRawLimit, RawPoint } from './lib/raw-limit';
import { ROOT, ServerProcess, startServer } from './lib/server-process';
import { barChartsSvg } from '@app/charts';

const CONCURRENCIES = [1, 8, 64, 256];
/** More distinct bodies than a 10 s miss run sends here, so that every request of it is a miss. */
const MISS_BODIES = 60_000;
const SETTINGS: { name: string; env: Record<string, string> }[] = [
  { name: 'off', env: { MODELGATE_BATCHING_ENABLED: 'false' } },
  { name: 'fixed', env: { MODELGATE_BATCHING_POLICY: 'fixed' } },
  { name: 'aimd', env: { MODELGATE_BATCHING_POLICY: 'aimd' } },
  { name: 'quantile', env: { MODELGATE_BATCHING_POLICY: 'quantile' } },
];

/** A modelgate figure over the bare server's, the two measured one right after the other. */
interface PairedRatio {
  reqPerSec: number;
  limitReqPerSec: number;
  ratio: number;
}

export interface BatchingBenchOptions {
  seconds: number;
}

function row(seed: number): number[] {
  return Array.from({ length: 784 }, (_, i) => Number((((i * 31 + seed * 17) % 97) / 97).toFixed(4)));
}

export async function runBatchingBench(options: BatchingBenchOptions): Promise<void> {
  const repo = mkdtempSync(join(tmpdir(), 'modelgate-bench-repo-'));
  const built = mkdtempSync(join(tmpdir(), 'modelgate-bench-build-'));
  buildMlpBench(built);
  cpSync(join(built, 'mlp-bench'), join(repo, 'mlp-bench'), { recursive: true });
  const modelPath = join(repo, 'mlp-bench/1/model.onnx');
  const body = JSON.stringify({ instances: [row(1)] });
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  console.log(`machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}`);

  console.log('raw in-process session.run limit (1 intra-op thread, as a server instance):');
  const raw: RawPoint[] = await measureRawLimit(modelPath, 'input', 784, [1, 8, 16, 32, 64, 128, 256], 1);
  for (const p of raw) console.log(`  batch ${String(p.batchSize).padStart(3)}: ${Math.round(p.rowsPerSecond)} rows/s`);
  const limit = Math.max(...raw.map((p) => p.rowsPerSecond));
  const best = raw.find((p) => p.rowsPerSecond === limit)!;

  // The HTTP limit: bare Fastify parsing the same body and answering a fixed prediction. It stays up for
  // the whole run, idle while modelgate is measured: this machine's speed drifts by tens of percent within
  // a run, so every figure at c=64 is paired with a bare run right after it, and its ratio is to that.
  const bareHttp = await startServer('bench/lib/bare-fastify-server.ts', {}, ['-r', 'ts-node/register/transpile-only']);
  const bareUrl = `${bareHttp.url}/v1/models/mlp-bench:predict`;
  await drive(bareUrl, body, 64, 2);
  const httpLimit = { c1: await driveSequential(bareUrl, body, options.seconds), c64: await drive(bareUrl, body, 64, options.seconds) };
  console.log(`bare Fastify: c=1 p50 ${httpLimit.c1.p50Ms} ms; c=64 ${Math.round(httpLimit.c64.throughput)} req/s, p99 ${httpLimit.c64.p99Ms} ms`);
  const ofLimit = (r: LoadResult) => `${(r.throughput / httpLimit.c64.throughput).toFixed(2)}x bare Fastify at the start`;
  const paired: Record<string, PairedRatio> = {};
  const pairWithBare = async (name: string, r: LoadResult) => {
    const bare = await drive(bareUrl, body, 64, options.seconds);
    paired[name] = { reqPerSec: r.throughput, limitReqPerSec: bare.throughput, ratio: r.throughput / bare.throughput };
    console.log(`  paired: ${name} ${Math.round(r.throughput)} req/s against bare Fastify ${Math.round(bare.throughput)} right after: ${paired[name].ratio.toFixed(2)}x`);
  };

  const env = { MODEL_REPOSITORY: repo, MODELGATE_CACHE_POLICY: 'off', MODELGATE_BATCHING_MAX_BATCH_SIZE: '64' };
  const runs: Record<string, LoadResult[]> = {};
  for (const setting of SETTINGS) {
    await withWarmApp({ ...env, ...setting.env }, body, async (server, url) => {
      await batchSizes(server.url);
      runs[setting.name] = [];
      for (const c of CONCURRENCIES) {
        const r = c === 1 ? await driveSequential(url, body, options.seconds) : await drive(url, body, c, options.seconds);
        runs[setting.name].push(r);
        const batch = await batchSizes(server.url);
        (r as LoadResult & { meanBatchRows?: number }).meanBatchRows = batch.mean;
        console.log(
          `${setting.name.padEnd(8)} c=${String(c).padStart(3)}: ${Math.round(r.throughput)} req/s (${ofLimit(r)}, ${((100 * r.throughput) / limit).toFixed(1)}% of raw limit), ` +
            `p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, mean batch ${batch.mean.toFixed(1)} rows, non-2xx ${r.non2xx}, errors ${r.errors}`,
        );
        if (c === 64) await pairWithBare(`${setting.name}, c=64`, r);
      }
    });
  }

  // Where the rest goes: the same load (aimd, c=64) with the access log off, and with the row sent (and
  // answered) as KServe V2 binary tensor data instead of JSON numbers (no JSON parsing of the tensor).
  const variants: Record<string, LoadResult> = {};
  const grpcRequest = encodeInferRequest({
    model_name: 'mlp-bench',
    inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 784] }],
    raw_input_contents: [Buffer.from(Float32Array.from(row(1)).buffer)],
  });
  await withWarmApp({ ...env, MODELGATE_LOGGING_ACCESS_LOG: 'false' }, body, async (server, tf) => {
    variants['aimd, access log off'] = await drive(tf, body, 64, options.seconds);
    await pairWithBare('aimd, access log off', variants['aimd, access log off']);
    const header = JSON.stringify({ inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', parameters: { binary_data_size: 784 * 4 } }] });
    const binary = Buffer.concat([Buffer.from(header), Buffer.from(Float32Array.from(row(1)).buffer)]);
    const v2 = `${server.url}/v2/models/mlp-bench/infer`;
    const binaryHeaders = { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(Buffer.byteLength(header)) };
    await drive(v2, binary, 64, 2, binaryHeaders);
    variants['aimd, access log off, V2 binary body'] = await drive(v2, binary, 64, options.seconds, binaryHeaders);
    await pairWithBare('aimd, access log off, V2 binary body', variants['aimd, access log off, V2 binary body']);
    // ...and the answer as binary tensor data too (what Triton's HTTP client asks for by default).
    const headerOut = JSON.stringify({ ...JSON.parse(header), parameters: { binary_data_output: true } });
    const binaryOut = Buffer.concat([Buffer.from(headerOut), Buffer.from(Float32Array.from(row(1)).buffer)]);
    const binaryOutHeaders = { ...binaryHeaders, 'inference-header-content-length': String(Buffer.byteLength(headerOut)) };
    variants['aimd, access log off, V2 binary body and answer'] = await drive(v2, binaryOut, 64, options.seconds, binaryOutHeaders);
    await pairWithBare('aimd, access log off, V2 binary body and answer', variants['aimd, access log off, V2 binary body and answer']);
    // KServe V2 over gRPC with raw tensor contents, as Triton's clients and perf_analyzer send them.
    await driveGrpcUnary(server.grpcAddress, grpcRequest, 64, 2);
    variants['aimd, access log off, gRPC ModelInfer (raw)'] = await driveGrpcUnary(server.grpcAddress, grpcRequest, 64, options.seconds);
    variants['aimd, access log off, gRPC ModelStreamInfer (raw)'] = await driveGrpcStream(server.grpcAddress, grpcRequest, 64, options.seconds);
  });
  // Two server workers (node:cluster) on these two cores, defaults otherwise: what a second process gives
  // when the load generator shares the cores.
  await withWarmApp({ ...env, MODELGATE_SERVER_WORKERS: '2' }, body, async (_server, tf) => {
    variants['aimd, server.workers 2'] = await drive(tf, body, 64, options.seconds);
    await pairWithBare('aimd, server.workers 2', variants['aimd, server.workers 2']);
  });
  for (const [name, r] of Object.entries(variants)) {
    console.log(`${name}, c=64: ${Math.round(r.throughput)} req/s (${ofLimit(r)}, ${((100 * r.throughput) / limit).toFixed(1)}% of raw limit), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}`);
  }

  // The gRPC limit in Node on this machine, in the same run: a bare @grpc/grpc-js server that decodes the
  // same ModelInferRequest and answers a fixed ModelInferResponse, driven by the same client right after
  // modelgate's gRPC figures (paired, as the HTTP ones are).
  const grpcLimit: Record<string, LoadResult> = {};
  {
    const bare = await startBareGrpcServer();
    try {
      await driveGrpcUnary(bare.address, grpcRequest, 64, 2);
      grpcLimit.unary = await driveGrpcUnary(bare.address, grpcRequest, 64, options.seconds);
      grpcLimit.stream = await driveGrpcStream(bare.address, grpcRequest, 64, options.seconds);
      for (const [name, r] of Object.entries(grpcLimit)) console.log(`bare grpc-js ${name.padEnd(6)} c=64: ${Math.round(r.throughput)} calls/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
      const unary = variants['aimd, access log off, gRPC ModelInfer (raw)'];
      const stream = variants['aimd, access log off, gRPC ModelStreamInfer (raw)'];
      paired['gRPC ModelInfer against bare grpc-js unary'] = { reqPerSec: unary.throughput, limitReqPerSec: grpcLimit.unary.throughput, ratio: unary.throughput / grpcLimit.unary.throughput };
      paired['gRPC ModelStreamInfer against bare grpc-js stream'] = { reqPerSec: stream.throughput, limitReqPerSec: grpcLimit.stream.throughput, ratio: stream.throughput / grpcLimit.stream.throughput };
      console.log(`gRPC ModelInfer: ${(unary.throughput / grpcLimit.unary.throughput).toFixed(2)}x the bare unary limit; ModelStreamInfer ${(stream.throughput / grpcLimit.stream.throughput).toFixed(2)}x the bare stream limit`);
    } finally {
      await bare.stop();
    }
  }

  // Cached case: the same body again and again (every request a hit after the first) against distinct
  // bodies (every request a miss that runs the model), both at concurrency 64 with the LRU memory tier.
  const cached: Record<string, LoadResult> = {};
  let missShare = 0;
  await withWarmApp({ ...env, MODELGATE_CACHE_POLICY: 'lru', MODELGATE_CACHE_MAX_ENTRIES: '1000000' }, body, async (server, url) => {
    cached.hit = await drive(url, body, 64, options.seconds);
    await pairWithBare('cache hit', cached.hit);
    // One request at a time, every one a hit: modelgate's own latency without the model's run.
    cached.hitC1 = await driveSequential(url, body, options.seconds);
    // Bodies made before the run (making them during it would cost the load generator, on the same
    // cores), each distinct: row() repeats every 97 seeds, so the first element carries the index.
    const distinct = Array.from({ length: MISS_BODIES }, (_, n) => JSON.stringify({ instances: [[n / MISS_BODIES, ...row(n).slice(1)]] }));
    let next = 0;
    const before = await cacheRows(server.url);
    cached.miss = await drive(url, () => distinct[next++ % MISS_BODIES], 64, options.seconds);
    const after = await cacheRows(server.url);
    missShare = (after.misses - before.misses) / Math.max(1, after.misses - before.misses + after.hits - before.hits);
    console.log(`cache-miss run: ${(100 * missShare).toFixed(1)}% of its rows were misses (${next} requests, ${MISS_BODIES} distinct bodies)`);
    await pairWithBare('cache miss', cached.miss);
    for (const [name, r] of Object.entries(cached)) {
      console.log(`cache-${name.padEnd(5)} ${name === 'hitC1' ? 'c=  1' : 'c= 64'}: ${Math.round(r.throughput)} req/s (${ofLimit(r)}), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}`);
    }
  });

  await bareHttp.stop();
  const hitOverMiss = cached.hit.throughput / cached.miss.throughput;
  console.log('against bare Fastify measured right after each (gRPC: bare grpc-js):');
  for (const [name, p] of Object.entries(paired)) console.log(`  ${name}: ${p.ratio.toFixed(2)}x (${Math.round(p.reqPerSec)} against ${Math.round(p.limitReqPerSec)})`);
  console.log(`  cache hit against cache miss: ${hitOverMiss.toFixed(2)}x`);

  const offAt = (c: number) => runs.off[CONCURRENCIES.indexOf(c)].throughput;
  const summary = SETTINGS.filter((s) => s.name !== 'off').map((s) => {
    const at64 = runs[s.name][CONCURRENCIES.indexOf(64)];
    const at1 = runs[s.name][CONCURRENCIES.indexOf(1)];
    return {
      policy: s.name,
      speedupAt64: at64.throughput / offAt(64),
      p99At64Ms: at64.p99Ms,
      fractionOfRawLimitAt64: at64.throughput / limit,
      p50At1DeltaMs: Math.round((at1.p50Ms - runs.off[0].p50Ms) * 1000) / 1000,
    };
  });
  for (const s of summary) {
    console.log(
      `${s.policy}: c=64 ${s.speedupAt64.toFixed(1)}x batching off, p99 ${s.p99At64Ms} ms, ${(100 * s.fractionOfRawLimitAt64).toFixed(1)}% of the raw limit; c=1 p50 ${s.p50At1DeltaMs >= 0 ? '+' : ''}${s.p50At1DeltaMs.toFixed(2)} ms vs off`,
    );
  }

  const out = join(ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  const result = {
    benchmark: 'mlp-bench over HTTP, one row per request',
    date: new Date().toISOString(),
    machine,
    secondsPerRun: options.seconds,
    rawLimit: { threads: 1, points: raw, bestBatchSize: best.batchSize, rowsPerSecond: limit },
    httpLimit,
    paired,
    hitOverMiss,
    missShare,
    concurrencies: CONCURRENCIES,
    runs,
    variants,
    grpcLimit,
    cached,
    summary,
  };
  writeFileSync(join(out, 'batching.json'), `${JSON.stringify(result, null, 2)}\n`);
  const groups = CONCURRENCIES.map((c) => `c=${c}`);
  const series = SETTINGS.map((s) => s.name);
  const pick = (f: (r: LoadResult) => number) => CONCURRENCIES.map((_, ci) => series.map((s) => f(runs[s][ci])));
  const svg = barChartsSvg(
    `mlp-bench over HTTP on ${machine.cores} cores: raw limit ${Math.round(limit)} rows/s (batch ${best.batchSize})`,
    [
      { title: 'Throughput (2xx per second)', unit: 'req/s', groups, series, values: pick((r) => r.throughput) },
      { title: 'Latency: bar p99, tick p50 (log scale)', unit: 'ms', groups, series, values: pick((r) => r.p99Ms), marks: pick((r) => r.p50Ms), markLabel: 'p50', log: true },
      protocolPanel(variants, grpcLimit, httpLimit),
    ],
    `cache hit ${Math.round(cached.hit.throughput)} req/s vs miss ${Math.round(cached.miss.throughput)} req/s at c=64`,
  );
  writeFileSync(join(out, 'batching.svg'), svg);
  console.log(`wrote ${join(out, 'batching.json')} and ${join(out, 'batching.svg')}`);
}

/** Requests per second at c=64 by protocol (aimd, access log off), beside the bare Fastify and grpc-js limits. */
function protocolPanel(variants: Record<string, LoadResult>, grpcLimit: Record<string, LoadResult>, httpLimit: Record<string, LoadResult>) {
  const bars: [string, number][] = [
    ['bare Fastify', httpLimit.c64.throughput],
    ['REST JSON', variants['aimd, access log off'].throughput],
    ['V2 binary', variants['aimd, access log off, V2 binary body and answer'].throughput],
    ['gRPC unary', variants['aimd, access log off, gRPC ModelInfer (raw)'].throughput],
    ['gRPC stream', variants['aimd, access log off, gRPC ModelStreamInfer (raw)'].throughput],
    ['bare gRPC unary', grpcLimit.unary.throughput],
    ['bare gRPC stream', grpcLimit.stream.throughput],
  ];
  return { title: 'Protocols at c=64 (aimd, access log off) and the bare grpc-js limit', unit: 'req/s', groups: ['c=64'], series: bars.map((b) => b[0]), values: [bars.map((b) => b[1])] };
}

/** The server's cache counters for mlp-bench (rows answered from the cache, rows computed). */
async function cacheRows(url: string): Promise<{ hits: number; misses: number }> {
  const read = await mlpBenchMetrics(url);
  return { hits: read('modelgate_cache_hits_total'), misses: read('modelgate_cache_misses_total') };
}

/** One scrape of the server: the value of a series of mlp-bench by name (0 when absent). */
async function mlpBenchMetrics(url: string): Promise<(name: string) => number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return (name) => Number(new RegExp(`^${name}\\{[^}]*model="mlp-bench"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

/** The built inference app with `env`, warmed up (JIT, sessions, adaptive limits) on :predict, for `measure`; stopped after. */
async function withWarmApp(env: Record<string, string>, body: string, measure: (server: ServerProcess, predictUrl: string) => Promise<void>): Promise<void> {
  const server = await startServer('dist/apps/inference/src/main.js', env);
  try {
    const url = `${server.url}/v1/models/mlp-bench:predict`;
    await drive(url, body, 64, 2);
    await measure(server, url);
  } finally {
    await server.stop();
  }
}

/**
 * Mean rows per batch since the previous call, from the server's own histogram (the difference of two
 * scrapes, so each run is measured alone).
 */
const lastBatch = new Map<string, { sum: number; count: number }>();
async function batchSizes(url: string): Promise<{ mean: number }> {
  const read = await mlpBenchMetrics(url);
  const now = { sum: read('modelgate_batch_size_rows_sum'), count: read('modelgate_batch_size_rows_count') };
  const before = lastBatch.get(url) ?? { sum: 0, count: 0 };
  lastBatch.set(url, now);
  const count = now.count - before.count;
  return { mean: count > 0 ? (now.sum - before.sum) / count : 0 };
}

/**
 * `npm run bench`: the mlp-bench model (784-2048-2048-10) over HTTP on loopback, one row per request, at
 * concurrency 1, 8, 64 and 256, with batching off and each policy on; the raw in-process session.run
 * limit and bare Fastify's HTTP limit (same body parser, fixed answer) measured in the same run; a cached case (hit path against miss path); the protocols at c=64 (TF
 * Serving JSON, V2 binary, V2 gRPC unary and streamed, raw tensors) against a bare grpc-js server's limit
 * in the same run. Writes bench/results/batching.json and bench/results/batching.svg.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { cpus, tmpdir, totalmem } from 'os';
import { join } from 'path';
import { buildMlpBench } from '../scripts/build-mlp-bench';
import { startBareGrpcServer } from './lib/bare-grpc-server';
import { driveGrpcStream, driveGrpcUnary, encodeInferRequest } from './lib/grpc-load';
import { drive, driveSequential, LoadResult } from './lib/http-load';
import { measureRawLimit, RawPoint } from './lib/raw-limit';
import { ROOT, startServer } from './lib/server-process';
import { barChartsSvg } from '@app/charts';

const CONCURRENCIES = [1, 8, 64, 256];
const SETTINGS: { name: string; env: Record<string, string> }[] = [
  { name: 'off', env: { MODELGATE_BATCHING_ENABLED: 'false' } },
  { name: 'fixed', env: { MODELGATE_BATCHING_POLICY: 'fixed' } },
  { name: 'aimd', env: { MODELGATE_BATCHING_POLICY: 'aimd' } },
  { name: 'quantile', env: { MODELGATE_BATCHING_POLICY: 'quantile' } },
];

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

  // The HTTP limit: bare Fastify parsing the same body and answering a fixed prediction, in this run:
  // at the start, and again at the end (see below).
  const httpLimit = await measureBareFastify(body, options.seconds);
  console.log(`bare Fastify: c=1 p50 ${httpLimit.c1.p50Ms} ms; c=64 ${Math.round(httpLimit.c64.throughput)} req/s, p99 ${httpLimit.c64.p99Ms} ms`);
  const ofLimit = (r: LoadResult) => `${(r.throughput / httpLimit.c64.throughput).toFixed(2)}x bare Fastify`;

  const env = { MODEL_REPOSITORY: repo, MODELGATE_CACHE_POLICY: 'off', MODELGATE_BATCHING_MAX_BATCH_SIZE: '64' };
  const runs: Record<string, LoadResult[]> = {};
  const meanBatch: Record<string, number> = {};
  for (const setting of SETTINGS) {
    const server = await startServer('dist/apps/inference/src/main.js', { ...env, ...setting.env });
    try {
      const url = `${server.url}/v1/models/mlp-bench:predict`;
      await drive(url, body, 64, 2); // warm-up: JIT, sessions, adaptive limits
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
      }
    } finally {
      await server.stop();
    }
  }

  // Where the rest goes: the same load (aimd, c=64) with the access log off, and with the row sent (and
  // answered) as KServe V2 binary tensor data instead of JSON numbers (no JSON parsing of the tensor).
  const variants: Record<string, LoadResult> = {};
  {
    const server = await startServer('dist/apps/inference/src/main.js', { ...env, MODELGATE_LOGGING_ACCESS_LOG: 'false' });
    try {
      const tf = `${server.url}/v1/models/mlp-bench:predict`;
      await drive(tf, body, 64, 2);
      variants['aimd, access log off'] = await drive(tf, body, 64, options.seconds);
      const header = JSON.stringify({ inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', parameters: { binary_data_size: 784 * 4 } }] });
      const binary = Buffer.concat([Buffer.from(header), Buffer.from(Float32Array.from(row(1)).buffer)]);
      const v2 = `${server.url}/v2/models/mlp-bench/infer`;
      const binaryHeaders = { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(Buffer.byteLength(header)) };
      await drive(v2, binary, 64, 2, binaryHeaders);
      variants['aimd, access log off, V2 binary body'] = await drive(v2, binary, 64, options.seconds, binaryHeaders);
      // ...and the answer as binary tensor data too (what Triton's HTTP client asks for by default).
      const headerOut = JSON.stringify({ ...JSON.parse(header), parameters: { binary_data_output: true } });
      const binaryOut = Buffer.concat([Buffer.from(headerOut), Buffer.from(Float32Array.from(row(1)).buffer)]);
      const binaryOutHeaders = { ...binaryHeaders, 'inference-header-content-length': String(Buffer.byteLength(headerOut)) };
      variants['aimd, access log off, V2 binary body and answer'] = await drive(v2, binaryOut, 64, options.seconds, binaryOutHeaders);
      // KServe V2 over gRPC with raw tensor contents, as Triton's clients and perf_analyzer send them.
      const grpcRequest = encodeInferRequest({
        model_name: 'mlp-bench',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 784] }],
        raw_input_contents: [Buffer.from(Float32Array.from(row(1)).buffer)],
      });
      await driveGrpcUnary(server.grpcAddress, grpcRequest, 64, 2);
      variants['aimd, access log off, gRPC ModelInfer (raw)'] = await driveGrpcUnary(server.grpcAddress, grpcRequest, 64, options.seconds);
      variants['aimd, access log off, gRPC ModelStreamInfer (raw)'] = await driveGrpcStream(server.grpcAddress, grpcRequest, 64, options.seconds);
      for (const [name, r] of Object.entries(variants)) {
        console.log(`${name}, c=64: ${Math.round(r.throughput)} req/s (${ofLimit(r)}, ${((100 * r.throughput) / limit).toFixed(1)}% of raw limit), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}`);
      }
    } finally {
      await server.stop();
    }
  }

  // The gRPC limit in Node on this machine, in the same run: a bare @grpc/grpc-js server that decodes the
  // same ModelInferRequest and answers a fixed ModelInferResponse, driven by the same client.
  const grpcLimit: Record<string, LoadResult> = {};
  {
    const bare = await startBareGrpcServer();
    try {
      const grpcRequest = encodeInferRequest({
        model_name: 'mlp-bench',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 784] }],
        raw_input_contents: [Buffer.from(Float32Array.from(row(1)).buffer)],
      });
      await driveGrpcUnary(bare.address, grpcRequest, 64, 2);
      grpcLimit.unary = await driveGrpcUnary(bare.address, grpcRequest, 64, options.seconds);
      grpcLimit.stream = await driveGrpcStream(bare.address, grpcRequest, 64, options.seconds);
      for (const [name, r] of Object.entries(grpcLimit)) console.log(`bare grpc-js ${name.padEnd(6)} c=64: ${Math.round(r.throughput)} calls/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
      const unary = variants['aimd, access log off, gRPC ModelInfer (raw)'];
      const stream = variants['aimd, access log off, gRPC ModelStreamInfer (raw)'];
      console.log(`gRPC ModelInfer: ${(unary.throughput / grpcLimit.unary.throughput).toFixed(2)}x the bare unary limit; ModelStreamInfer ${(stream.throughput / grpcLimit.stream.throughput).toFixed(2)}x the bare stream limit`);
    } finally {
      await bare.stop();
    }
  }

  // Cached case: the same body again and again (every request a hit after the first) against distinct
  // bodies (every request a miss that runs the model), both at concurrency 64 with the LRU memory tier.
  const cached: Record<string, LoadResult> = {};
  {
    const server = await startServer('dist/apps/inference/src/main.js', { ...env, MODELGATE_CACHE_POLICY: 'lru', MODELGATE_CACHE_MAX_ENTRIES: '1000000' });
    try {
      const url = `${server.url}/v1/models/mlp-bench:predict`;
      await drive(url, body, 64, 2);
      cached.hit = await drive(url, body, 64, options.seconds);
      let seed = 1000;
      cached.miss = await drive(url, () => JSON.stringify({ instances: [row(seed++)] }), 64, options.seconds);
      for (const [name, r] of Object.entries(cached)) {
        console.log(`cache-${name.padEnd(4)} c= 64: ${Math.round(r.throughput)} req/s (${ofLimit(r)}), p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}`);
      }
    } finally {
      await server.stop();
    }
  }

  // The machine's speed drifts during a run this long: the limit is measured again, and the ratios of the
  // summary use the higher of the two measurements (the less flattering one for modelgate).
  const httpLimitAtEnd = await measureBareFastify(body, options.seconds);
  const httpLimitReqPerSec = Math.max(httpLimit.c64.throughput, httpLimitAtEnd.c64.throughput);
  console.log(`bare Fastify again at the end: c=64 ${Math.round(httpLimitAtEnd.c64.throughput)} req/s; the limit for the ratios below: ${Math.round(httpLimitReqPerSec)} req/s`);
  const ofHigherLimit = (r: LoadResult) => Math.round((100 * r.throughput) / httpLimitReqPerSec) / 100;
  const againstLimit = {
    limitReqPerSec: httpLimitReqPerSec,
    'aimd, c=64 (defaults)': ofHigherLimit(runs.aimd[CONCURRENCIES.indexOf(64)]),
    ...Object.fromEntries(Object.entries(variants).map(([name, r]) => [name, ofHigherLimit(r)])),
    'cache hit': ofHigherLimit(cached.hit),
    'cache miss': ofHigherLimit(cached.miss),
    hitOverMiss: Math.round((100 * cached.hit.throughput) / cached.miss.throughput) / 100,
  };
  for (const [name, ratio] of Object.entries(againstLimit)) if (name !== 'limitReqPerSec') console.log(`  ${name}: ${ratio}${name === 'hitOverMiss' ? 'x the miss path' : 'x bare Fastify'}`);

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
    httpLimitAtEnd,
    againstLimit,
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

/** Bare Fastify at c=1 (microsecond timing) and c=64, after a short warm-up. */
async function measureBareFastify(body: string, seconds: number): Promise<Record<'c1' | 'c64', LoadResult>> {
  const bare = await startServer('bench/lib/bare-fastify-server.ts', {}, ['-r', 'ts-node/register/transpile-only']);
  try {
    const url = `${bare.url}/v1/models/mlp-bench:predict`;
    await drive(url, body, 64, 2);
    return { c1: await driveSequential(url, body, seconds), c64: await drive(url, body, 64, seconds) };
  } finally {
    await bare.stop();
  }
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

/**
 * Mean rows per batch since the previous call, from the server's own histogram (the difference of two
 * scrapes, so each run is measured alone).
 */
const lastBatch = new Map<string, { sum: number; count: number }>();
async function batchSizes(url: string): Promise<{ mean: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name}\\{[^}]*model="mlp-bench"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  const now = { sum: read('modelgate_batch_size_rows_sum'), count: read('modelgate_batch_size_rows_count') };
  const before = lastBatch.get(url) ?? { sum: 0, count: 0 };
  lastBatch.set(url, now);
  const count = now.count - before.count;
  return { mean: count > 0 ? (now.sum - before.sum) / count : 0 };
}

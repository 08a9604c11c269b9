/**
 * `npm run bench -- profile`: where the main thread's time goes at concurrency 64 (aimd), from a V8 CPU
 * profile of the built inference app, for the default path (cache off: every request batched and run) and
 * for the cached path (every request a hit), with bare Fastify profiled the same way beside them.
 * Writes bench/results/profile.json: per run the share and the microseconds per request of each category.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { cpus } from 'os';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildMlpBench } from '../scripts/build-mlp-bench';
import { ProfileSummary, summariseCpuProfile } from './lib/cpu-profile';
import { drive, LoadResult } from './lib/http-load';
import { ROOT, startServer } from './lib/server-process';

interface ProfiledRun {
  name: string;
  load: LoadResult;
  /** Main-thread microseconds per answered request, by category (profiler overhead included). */
  perRequestUs: Record<string, number>;
  summary: ProfileSummary;
}

const RUNS: { name: string; entry: string; nodeArgs: string[]; env: Record<string, string> }[] = [
  { name: 'bare Fastify', entry: 'bench/lib/bare-fastify-server.ts', nodeArgs: ['-r', 'ts-node/register/transpile-only'], env: {} },
  { name: 'modelgate defaults (cache off)', entry: 'dist/apps/inference/src/main.js', nodeArgs: [], env: { MODELGATE_CACHE_POLICY: 'off' } },
  { name: 'modelgate, every request a cache hit', entry: 'dist/apps/inference/src/main.js', nodeArgs: [], env: { MODELGATE_CACHE_POLICY: 'lru' } },
];

export async function runProfileBench(seconds: number): Promise<void> {
  const repo = mkdtempSync(join(tmpdir(), 'modelgate-profile-repo-'));
  const built = mkdtempSync(join(tmpdir(), 'modelgate-profile-build-'));
  buildMlpBench(built);
  cpSync(join(built, 'mlp-bench'), join(repo, 'mlp-bench'), { recursive: true });
  const row = Array.from({ length: 784 }, (_, i) => Number((((i * 31 + 17) % 97) / 97).toFixed(4)));
  const body = JSON.stringify({ instances: [row] });
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}`);
  const runs: ProfiledRun[] = [];
  for (const spec of RUNS) {
    const profiles = mkdtempSync(join(tmpdir(), 'modelgate-cpu-'));
    const server = await startServer(spec.entry, { MODEL_REPOSITORY: repo, MODELGATE_BATCHING_POLICY: 'aimd', ...spec.env }, [
      ...spec.nodeArgs,
      '--cpu-prof',
      `--cpu-prof-dir=${profiles}`,
    ]);
    const url = `${server.url}/v1/models/mlp-bench:predict`;
    const warmUp = await drive(url, body, 64, 2);
    const load = await drive(url, body, 64, seconds);
    await server.stop();
    const main = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile')).sort()[0];
    const summary = summariseCpuProfile(join(profiles, main));
    // The profile's load window (first to last body parsed) spans the warm-up and the measured run.
    const requests = warmUp.requests + load.requests;
    const perRequestUs = Object.fromEntries(summary.shares.map((s) => [s.category, Math.round(((s.percent / 100) * summary.totalMs * 1000) / requests)]));
    runs.push({ name: spec.name, load, perRequestUs, summary });
    console.log(`${spec.name}, c=64: ${Math.round(load.throughput)} req/s under the profiler, p99 ${load.p99Ms} ms; main thread per request:`);
    for (const s of summary.shares) console.log(`  ${String(perRequestUs[s.category]).padStart(5)} us  ${String(s.percent).padStart(5)}%  ${s.category}`);
  }
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/profile.json'), `${JSON.stringify({ date: new Date().toISOString(), cores: cpus().length, cpu: cpus()[0]?.model, node: process.version, runs }, null, 2)}\n`);
}

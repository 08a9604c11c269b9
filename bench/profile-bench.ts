/**
 * `npm run bench -- profile`: where the main thread's time goes at concurrency 64 with batching on
 * (aimd), from a V8 CPU profile of the built inference app. Writes bench/results/profile.json.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildMlpBench } from '../scripts/build-mlp-bench';
import { summariseCpuProfile } from './lib/cpu-profile';
import { drive } from './lib/http-load';
import { ROOT, startServer } from './lib/server-process';

export async function runProfileBench(seconds: number): Promise<void> {
  const repo = mkdtempSync(join(tmpdir(), 'modelgate-profile-repo-'));
  const built = mkdtempSync(join(tmpdir(), 'modelgate-profile-build-'));
  buildMlpBench(built);
  cpSync(join(built, 'mlp-bench'), join(repo, 'mlp-bench'), { recursive: true });
  const profiles = mkdtempSync(join(tmpdir(), 'modelgate-cpu-'));
  const server = await startServer('dist/apps/inference/src/main.js', { MODEL_REPOSITORY: repo, MODELGATE_CACHE_POLICY: 'off' }, ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
  const row = Array.from({ length: 784 }, (_, i) => Number((((i * 31 + 17) % 97) / 97).toFixed(4)));
  const result = await drive(`${server.url}/v1/models/mlp-bench:predict`, JSON.stringify({ instances: [row] }), 64, seconds);
  await server.stop();
  const main = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile')).sort()[0];
  const summary = summariseCpuProfile(join(profiles, main));
  console.log(`c=64 aimd: ${Math.round(result.throughput)} req/s, p99 ${result.p99Ms} ms; main-thread time by category:`);
  for (const s of summary.shares) console.log(`  ${String(s.percent).padStart(5)}%  ${s.category}`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/profile.json'), `${JSON.stringify({ date: new Date().toISOString(), load: result, ...summary }, null, 2)}\n`);
}

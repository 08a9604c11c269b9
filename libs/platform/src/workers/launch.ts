import cluster from 'node:cluster';
import { readdirSync, statSync } from 'node:fs';
import { cpus, freemem } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '@app/config';
import { runServerWorkers, workerIndex } from './server-workers';
import { workerCount } from './worker-count';

/**
 * Starts one server, or with `server.workers` above 1 (or `auto` giving more than 1) becomes the primary
 * of that many. `serve(index)` starts the app in this process: index undefined when it runs alone, the
 * worker's index in a cluster (worker 0 is the one that also runs what must run once per deployment).
 */
export async function launchServer(config: AppConfig, serve: (index: number | undefined) => Promise<unknown>, log: (line: string) => void): Promise<void> {
  if (cluster.isWorker) {
    await serve(workerIndex());
    return;
  }
  const count = workerCount(config.server.workers, { cores: cpus().length, freeMemoryBytes: freemem(), modelBytes: onnxBytes(config.models.repository) });
  if (count <= 1) {
    await serve(undefined);
    return;
  }
  runServerWorkers({ count, shutdownTimeoutMs: config.server.shutdownTimeoutMs, log });
}

/** Bytes of every model.onnx under the repository: what each worker loads. */
function onnxBytes(dir: string, depth = 0): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory() && depth < 3) total += onnxBytes(path, depth + 1);
    else if (stat?.isFile() && name.endsWith('.onnx')) total += stat.size;
  }
  return total;
}

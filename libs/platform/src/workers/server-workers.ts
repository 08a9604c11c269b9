import cluster, { Worker } from 'node:cluster';
import { AggregatorRegistry, PrometheusContentType } from 'prom-client';
import { answerClusterMetrics } from '@app/metrics';

/** Environment of a worker: its index; worker 0 also runs what must run once (queue workers, scheduler). */
export const WORKER_INDEX_ENV = 'MODELGATE_WORKER_INDEX';

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A worker that lived this long resets its slot's backoff: it was not crash-looping. */
const HEALTHY_AFTER_MS = 60_000;

export interface ServerWorkersOptions {
  count: number;
  /** Longest wait for the workers to drain on SIGTERM before they are killed. */
  shutdownTimeoutMs: number;
  env?: Record<string, string>;
  log: (line: string) => void;
}

interface Slot {
  index: number;
  worker?: Worker;
  startedAt: number;
  restarts: number;
}

/**
 * The primary of `server.workers > 1`: N whole servers on one port (node:cluster shares the listening
 * sockets, HTTP and gRPC). A worker that dies is replaced with exponential backoff; SIGTERM is passed to
 * every worker, which drains as a single server does, and the primary exits 0 once all have; /metrics of
 * any worker answers the sum of all (prom-client's AggregatorRegistry over IPC).
 */
export function runServerWorkers(options: ServerWorkersOptions): void {
  const slots: Slot[] = Array.from({ length: options.count }, (_, index) => ({ index, startedAt: 0, restarts: 0 }));
  const aggregator = new AggregatorRegistry<PrometheusContentType>();
  let stopping = false;

  const start = (slot: Slot) => {
    slot.startedAt = Date.now();
    const worker = cluster.fork({ ...options.env, [WORKER_INDEX_ENV]: String(slot.index) });
    slot.worker = worker;
    answerClusterMetrics(worker, aggregator);
    worker.on('exit', (code, signal) => {
      slot.worker = undefined;
      if (stopping) return;
      if (Date.now() - slot.startedAt > HEALTHY_AFTER_MS) slot.restarts = 0;
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** slot.restarts++);
      options.log(`worker ${slot.index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting a new one in ${delay} ms`);
      setTimeout(() => !stopping && start(slot), delay);
    });
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    options.log(`${signal}: draining ${slots.filter((s) => s.worker).length} workers`);
    const running = slots.map((s) => s.worker).filter((w): w is Worker => w !== undefined);
    let failed = false;
    let left = running.length;
    const done = () => process.exit(failed ? 1 : 0);
    if (left === 0) done();
    for (const worker of running) {
      worker.once('exit', (code) => {
        failed ||= code !== 0;
        if (--left === 0) done();
      });
      worker.process.kill(signal);
    }
    setTimeout(() => {
      options.log(`workers did not drain within ${options.shutdownTimeoutMs} ms; killing them`);
      for (const worker of running) worker.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownTimeoutMs + 2000).unref();
  };

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  options.log(`starting ${options.count} server workers on one port (primary pid ${process.pid})`);
  for (const slot of slots) start(slot);
}

/** Which worker this process is, or undefined when it is not a cluster worker. */
export function workerIndex(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const index = Number(process.env[WORKER_INDEX_ENV]);
  return Number.isInteger(index) ? index : undefined;
}

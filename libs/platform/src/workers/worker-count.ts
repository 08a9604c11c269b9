/** What decides `server.workers: auto`: the machine and the models each worker holds. */
export interface WorkerBudget {
  cores: number;
  freeMemoryBytes: number;
  /** Bytes of the model files one worker loads (each worker holds its own instances). */
  modelBytes: number;
}

/**
 * The number of server processes. `auto` applies the usual worker rule, min(2 x cores + 1, free RAM /
 * the models' size), then bounds it by the cores: each worker is a whole server with its own event loop,
 * and past one per core they only compete for it.
 */
export function workerCount(setting: number | 'auto', budget: WorkerBudget): number {
  if (setting !== 'auto') return setting;
  const byRule = 2 * budget.cores + 1;
  const byMemory = budget.modelBytes > 0 ? Math.floor(budget.freeMemoryBytes / budget.modelBytes) : byRule;
  return Math.max(1, Math.min(byRule, byMemory, budget.cores));
}

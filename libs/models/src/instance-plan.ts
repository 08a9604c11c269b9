import { cpus, totalmem } from 'os';

export interface PlannedModel {
  id: string;
  instances: number;
  threads: number;
  /** Size of model.onnx: each instance holds about that much (a session per worker thread). */
  bytes: number;
}

export interface PlanLimits {
  cores: number;
  memoryBytes: number;
  /** 0: the worker rule, 2 x cores + 1. */
  maxInstances: number;
}

export interface InstancePlan {
  lines: string[];
  totalInstances: number;
  maxInstances: number;
  memoryBytes: number;
  /** Why the plan is refused, or undefined when it fits. */
  refusal?: string;
}

export function machineLimits(maxInstances: number): PlanLimits {
  return { cores: cpus().length, memoryBytes: totalmem(), maxInstances };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * The worker rule: no more instances in total than RAM / model size, and no more than
 * 2 x cores + 1. Each instance is a worker thread with its own session, so it costs about one model's
 * size in RAM and competes for the same cores.
 */
export function planInstances(models: readonly PlannedModel[], limits: PlanLimits): InstancePlan {
  const maxInstances = limits.maxInstances > 0 ? limits.maxInstances : 2 * limits.cores + 1;
  const totalInstances = models.reduce((n, m) => n + m.instances, 0);
  const memoryBytes = models.reduce((n, m) => n + m.instances * m.bytes, 0);
  const lines = models.map(
    (m) => `${m.id}: ${m.instances} instance(s) x ${m.threads} thread(s), ~${mib(m.bytes)} each, ~${mib(m.instances * m.bytes)} in all`,
  );
  lines.push(`total: ${totalInstances} of at most ${maxInstances} instances (2 x ${limits.cores} cores + 1), ~${mib(memoryBytes)} of ${mib(limits.memoryBytes)} RAM`);
  let refusal: string | undefined;
  if (totalInstances > maxInstances) {
    refusal = `${totalInstances} instances in total exceed the limit of ${maxInstances} (2 x ${limits.cores} cores + 1, or models.maxInstances): lower "instances" in model.json`;
  } else if (memoryBytes > limits.memoryBytes) {
    refusal = `the instances need ~${mib(memoryBytes)}, more than the machine's ${mib(limits.memoryBytes)} of RAM: lower "instances" in model.json`;
  }
  return { lines, totalInstances, maxInstances, memoryBytes, refusal };
}

/**
 * Our priorities run 10 first (higher means sooner, as most task queues read it); BullMQ runs its priority 1 first and treats 0
 * as "no priority" (plain FIFO, ahead of every prioritised job). So 10 -> 1 ... 1 -> 10, never 0.
 */
export function toBullPriority(priority: number): number {
  return 11 - priority;
}

export function fromBullPriority(bullPriority: number | undefined): number | undefined {
  if (!bullPriority) return undefined;
  return Math.min(10, Math.max(1, 11 - bullPriority));
}

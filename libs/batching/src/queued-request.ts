/**
 * A submitted request while the batcher holds it. A class (not object literals) so that every entry has
 * one hidden shape: the queue, the deadline heap and the dispatch loop all touch it on the hot path.
 */
export class QueuedRequest<TIn = unknown, TOut = unknown> {
  /** True until the request is taken into a batch or expires; the FIFOs drop entries lazily on it. */
  queued = true;
  /** Position in the deadline heap, -1 when not in it. */
  heapIndex = -1;
  resolve!: (value: TOut) => void;
  reject!: (reason: unknown) => void;

  constructor(
    readonly input: TIn,
    readonly rows: number,
    readonly priority: number,
    readonly groupKey: string,
    /** Infinity when the request has none. */
    readonly deadline: number,
    /** Arrival order; FIFO order within a priority and the tie-break between groups. */
    readonly seq: number,
    readonly enqueuedAt: number,
  ) {}
}

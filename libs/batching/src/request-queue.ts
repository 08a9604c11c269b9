import { QueuedRequest } from './queued-request';
import { RequestFifo } from './request-fifo';

export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 10;

/**
 * The waiting requests: one FIFO per (priority, group). With 10 priorities and a handful of groups
 * (groups are free-dimension sizes), finding the next batch's head scans a few FIFO heads, and taking a
 * request is O(1).
 *
 * Priority is strict: a batch is filled from the highest priority down, so a steady stream of
 * high-priority work can starve lower priorities. The only ordering guarantee is FIFO within a priority
 * (and group); deadlines are how a caller bounds how long a low-priority request may wait.
 */
export class RequestQueue {
  /** levels[priority - 1]: group key -> FIFO; a FIFO is deleted as soon as it holds nothing live. */
  private readonly levels: Array<Map<string, RequestFifo>> = [];
  rows = 0;
  requests = 0;

  constructor() {
    for (let p = MIN_PRIORITY; p <= MAX_PRIORITY; p++) this.levels.push(new Map());
  }

  push(request: QueuedRequest): void {
    const level = this.levels[request.priority - 1];
    let fifo = level.get(request.groupKey);
    if (fifo === undefined) {
      fifo = new RequestFifo();
      level.set(request.groupKey, fifo);
    }
    fifo.push(request);
    this.rows += request.rows;
    this.requests++;
  }

  /** Removes a request that expired while queued. */
  remove(request: QueuedRequest): void {
    if (!request.queued) return;
    request.queued = false;
    const level = this.levels[request.priority - 1];
    const fifo = level.get(request.groupKey)!;
    fifo.forget();
    if (fifo.live === 0) level.delete(request.groupKey);
    this.rows -= request.rows;
    this.requests--;
  }

  /** Arrival time of the request that has waited longest, whatever its priority; Infinity when empty. */
  oldestEnqueuedAt(): number {
    let oldest: QueuedRequest | undefined;
    for (const level of this.levels) {
      for (const fifo of level.values()) {
        const head = fifo.peek()!;
        if (oldest === undefined || head.seq < oldest.seq) oldest = head;
      }
    }
    return oldest === undefined ? Infinity : oldest.enqueuedAt;
  }

  /**
   * Takes the next batch: the oldest request of the highest priority decides the group, then requests
   * of that group are added in priority order, FIFO within a priority, while they fit in `limit` rows.
   * Filling stops at the first request that does not fit rather than skipping it for a smaller one
   * behind it, which would let later or lower-priority requests overtake it. The first request is
   * always taken, even when it alone is larger than the limit: refusing it would fail it forever.
   */
  take(limit: number): QueuedRequest[] {
    const batch: QueuedRequest[] = [];
    const group = this.headGroup();
    if (group === undefined) return batch;
    let rows = 0;
    for (let p = MAX_PRIORITY - 1; p >= 0 && rows < limit; p--) {
      const level = this.levels[p];
      const fifo = level.get(group);
      if (fifo === undefined) continue;
      let full = false;
      for (let next = fifo.peek(); next !== undefined; next = fifo.peek()) {
        if (batch.length > 0 && rows + next.rows > limit) {
          full = true;
          break;
        }
        fifo.shift();
        next.queued = false;
        batch.push(next);
        rows += next.rows;
        if (rows >= limit) break;
      }
      if (fifo.live === 0) level.delete(group);
      if (full) break;
    }
    this.rows -= rows;
    this.requests -= batch.length;
    return batch;
  }

  private headGroup(): string | undefined {
    for (let p = MAX_PRIORITY - 1; p >= 0; p--) {
      const level = this.levels[p];
      if (level.size === 0) continue;
      let head: QueuedRequest | undefined;
      for (const fifo of level.values()) {
        const candidate = fifo.peek()!;
        if (head === undefined || candidate.seq < head.seq) head = candidate;
      }
      return head!.groupKey;
    }
    return undefined;
  }
}

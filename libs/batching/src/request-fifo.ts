import { QueuedRequest } from './queued-request';

/**
 * FIFO of requests with O(1) amortised push and shift (an array plus a head index, compacted now and
 * then, because Array.prototype.shift is O(n)). Requests that expire in the middle are only counted out
 * here and skipped when they reach the head, so that expiry is O(1) too.
 */
export class RequestFifo {
  private items: Array<QueuedRequest | undefined> = [];
  private head = 0;
  /** Requests still queued; the length of `items` also counts expired ones not yet skipped. */
  live = 0;

  push(request: QueuedRequest): void {
    this.items.push(request);
    this.live++;
  }

  peek(): QueuedRequest | undefined {
    while (this.head < this.items.length) {
      const request = this.items[this.head]!;
      if (request.queued) return request;
      this.items[this.head++] = undefined;
    }
    return undefined;
  }

  /** Takes the head; call after peek() answered it. */
  shift(): void {
    this.items[this.head++] = undefined;
    this.live--;
    this.compactIfSparse();
  }

  /** A request in this FIFO stopped being queued (it expired) without going through the head. */
  forget(): void {
    this.live--;
    this.compactIfSparse();
  }

  private compactIfSparse(): void {
    const span = this.items.length - this.head;
    if (this.live === 0) {
      this.items = [];
      this.head = 0;
    } else if (span > 64 && span > 2 * this.live) {
      // Bounds the memory held by expired or taken entries to about twice the live ones.
      this.items = this.items.slice(this.head).filter((r) => r!.queued);
      this.head = 0;
    }
  }
}

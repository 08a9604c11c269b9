import { QueuedRequest } from './queued-request';

/**
 * Min-heap of queued requests by deadline, indexed (each request knows its slot) so that a request
 * leaving the queue for a batch is removed in O(log n) instead of lingering until its deadline: with
 * generous deadlines and a fast model, lazily deleted entries would pile up by the hundred thousand.
 */
export class DeadlineHeap {
  private readonly heap: QueuedRequest[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): QueuedRequest | undefined {
    return this.heap[0];
  }

  push(request: QueuedRequest): void {
    request.heapIndex = this.heap.length;
    this.heap.push(request);
    this.up(request.heapIndex);
  }

  remove(request: QueuedRequest): void {
    const index = request.heapIndex;
    if (index < 0) return;
    request.heapIndex = -1;
    const last = this.heap.pop()!;
    if (index === this.heap.length) return;
    this.heap[index] = last;
    last.heapIndex = index;
    this.down(index);
    this.up(last.heapIndex);
  }

  private up(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent].deadline <= heap[index].deadline) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && heap[left].deadline < heap[smallest].deadline) smallest = left;
      if (right < heap.length && heap[right].deadline < heap[smallest].deadline) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const tmp = heap[a];
    heap[a] = heap[b];
    heap[b] = tmp;
    heap[a].heapIndex = a;
    heap[b].heapIndex = b;
  }
}

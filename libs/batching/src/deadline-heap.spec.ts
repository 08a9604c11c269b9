import { DeadlineHeap } from './deadline-heap';
import { QueuedRequest } from './queued-request';

const request = (deadline: number, seq: number) => new QueuedRequest(null, 1, 5, '', deadline, seq, 0);

describe('DeadlineHeap', () => {
  it('yields requests in deadline order after random pushes and removals', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const heap = new DeadlineHeap();
    const live = new Set<QueuedRequest>();
    for (let i = 0; i < 2000; i++) {
      const r = request(Math.floor(random() * 500), i);
      heap.push(r);
      live.add(r);
      if (random() < 0.4) {
        const victim = [...live][Math.floor(random() * live.size)];
        heap.remove(victim);
        live.delete(victim);
        expect(victim.heapIndex).toBe(-1);
      }
    }
    expect(heap.size).toBe(live.size);
    const order: number[] = [];
    for (let next = heap.peek(); next !== undefined; next = heap.peek()) {
      order.push(next.deadline);
      heap.remove(next);
    }
    expect(order).toEqual([...live].map((r) => r.deadline).sort((a, b) => a - b));
  });

  it('ignores removing a request that is not in the heap', () => {
    const heap = new DeadlineHeap();
    heap.push(request(5, 0));
    heap.remove(request(1, 1));
    expect(heap.size).toBe(1);
  });
});

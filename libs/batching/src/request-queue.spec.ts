import { QueuedRequest } from './queued-request';
import { RequestQueue } from './request-queue';

let seq = 0;
const request = (name: string, rows = 1, priority = 5, group = '') =>
  new QueuedRequest(name, rows, priority, group, Infinity, seq++, seq);
const names = (batch: QueuedRequest[]) => batch.map((r) => r.input);

describe('RequestQueue', () => {
  it('takes the highest priority first, FIFO within a priority, up to the limit in rows', () => {
    const queue = new RequestQueue();
    for (const r of [request('low', 1, 1), request('a'), request('urgent', 1, 10), request('b'), request('c')]) queue.push(r);
    expect(names(queue.take(3))).toEqual(['urgent', 'a', 'b']);
    expect(names(queue.take(3))).toEqual(['c', 'low']);
    expect([queue.rows, queue.requests]).toEqual([0, 0]);
  });

  it('skips requests removed from the middle, and keeps counts right', () => {
    const queue = new RequestQueue();
    const all = Array.from({ length: 1000 }, (_, i) => request(`r${i}`));
    all.forEach((r) => queue.push(r));
    all.filter((_, i) => i % 10 !== 0).forEach((r) => queue.remove(r));
    expect(queue.requests).toBe(100);
    expect(names(queue.take(3))).toEqual(['r0', 'r10', 'r20']);
    expect(queue.rows).toBe(97);
  });

  it('reports when the request that has waited longest arrived, whatever its priority', () => {
    const queue = new RequestQueue();
    const old = request('old', 1, 1);
    queue.push(old);
    queue.push(request('new', 1, 9));
    expect(queue.oldestEnqueuedAt()).toBe(old.enqueuedAt);
    queue.take(1);
    queue.take(1);
    expect(queue.oldestEnqueuedAt()).toBe(Infinity);
  });
});

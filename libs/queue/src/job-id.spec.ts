import { idempotentJobId, modelOfJobId, newJobId } from './job-id';

describe('job ids', () => {
  it('carry their model, so GET /v1/jobs/{id} finds the queue, and are URL-safe without the colon BullMQ refuses', () => {
    const id = newJobId('name-gender');
    expect(id).toMatch(/^name-gender~[A-Za-z0-9-]+$/);
    expect(encodeURIComponent(id)).toBe(id);
    expect(modelOfJobId(id)).toBe('name-gender');
    expect(newJobId('iris')).not.toBe(newJobId('iris'));
  });

  it('are the same for the same Idempotency-Key and model, and differ across keys and models', () => {
    const a = idempotentJobId('iris', 'order-42');
    expect(idempotentJobId('iris', 'order-42')).toBe(a);
    expect(idempotentJobId('iris', 'order-43')).not.toBe(a);
    expect(idempotentJobId('spam', 'order-42')).not.toBe(a);
    expect(modelOfJobId(a)).toBe('iris');
    expect(a.includes(':')).toBe(false);
  });

  it('refuses text that cannot be one of our ids', () => {
    for (const id of ['', 'iris', 'iris~', 'iris~short', '~abcdefghij', '..~abcdefghij', 'a/b~abcdefghij', 'iris~abc:defghij']) {
      expect({ id, model: modelOfJobId(id) }).toEqual({ id, model: undefined });
    }
  });
});

import { InvalidInputError } from '@app/errors';
import { checkIdempotencyKey, parseJobTarget, prefersAsync } from './job-target';

describe('job targets and headers', () => {
  it('reads `name` as the newest version and `name@version` or /versions/{v} as that version', () => {
    expect(parseJobTarget('iris')).toEqual({ model: 'iris' });
    expect(parseJobTarget('iris@3')).toEqual({ model: 'iris', version: 3 });
    expect(parseJobTarget('iris', '2')).toEqual({ model: 'iris', version: 2 });
    expect(() => parseJobTarget('iris@x')).toThrow(InvalidInputError);
    expect(() => parseJobTarget('iris@1', '2')).toThrow(InvalidInputError);
  });

  it('recognises Prefer: respond-async among other preferences, in any case (RFC 7240)', () => {
    expect(prefersAsync('respond-async')).toBe(true);
    expect(prefersAsync('wait=10, Respond-Async')).toBe(true);
    expect(prefersAsync(['return=minimal', 'respond-async; foo=bar'])).toBe(true);
    expect(prefersAsync('return=representation')).toBe(false);
    expect(prefersAsync(undefined)).toBe(false);
  });

  it('accepts Idempotency-Key values of visible ASCII up to 255 characters', () => {
    expect(checkIdempotencyKey(undefined)).toBeUndefined();
    expect(checkIdempotencyKey('order-42')).toBe('order-42');
    expect(() => checkIdempotencyKey('')).toThrow(InvalidInputError);
    expect(() => checkIdempotencyKey('has space')).toThrow(InvalidInputError);
    expect(() => checkIdempotencyKey('k'.repeat(256))).toThrow(InvalidInputError);
  });
});

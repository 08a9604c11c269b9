import { ForbiddenError, UnauthenticatedError } from '@app/errors';
import { ApiKeyChecker, presentedKey } from './api-key-checker';

const PREDICT = 'p'.repeat(20);
const ADMIN = 'a'.repeat(20);

describe('ApiKeyChecker', () => {
  it('leaves routes without a scope open', () => {
    expect(() => new ApiKeyChecker({ [ADMIN]: ['admin'] }, false).check(undefined, undefined)).not.toThrow();
  });

  it('closes admin routes when no admin key is configured', () => {
    const checker = new ApiKeyChecker({}, false);
    expect(() => checker.check('admin', undefined)).toThrow(UnauthenticatedError);
    expect(() => checker.check('admin', 'whatever-key-1234')).toThrow('unknown API key');
  });

  it('answers 401 without a key or with an unknown one, 403 with a key that lacks the scope', () => {
    const checker = new ApiKeyChecker({ [PREDICT]: ['predict'], [ADMIN]: ['admin'] }, false);
    expect(() => checker.check('admin', undefined)).toThrow(UnauthenticatedError);
    expect(() => checker.check('admin', 'x'.repeat(20))).toThrow(UnauthenticatedError);
    expect(() => checker.check('admin', PREDICT)).toThrow(ForbiddenError);
    expect(() => checker.check('admin', ADMIN)).not.toThrow();
  });

  it('keeps predict routes open until a predict key is configured', () => {
    expect(() => new ApiKeyChecker({ [ADMIN]: ['admin'] }, false).check('predict', undefined)).not.toThrow();
    const closed = new ApiKeyChecker({ [PREDICT]: ['predict'], [ADMIN]: ['admin'] }, false);
    expect(() => closed.check('predict', undefined)).toThrow(UnauthenticatedError);
    expect(() => closed.check('predict', PREDICT)).not.toThrow();
    expect(() => closed.check('predict', ADMIN)).not.toThrow();
  });

  it('closes /metrics to all but admin keys only when configured to', () => {
    expect(() => new ApiKeyChecker({}, false).check('metrics', undefined)).not.toThrow();
    const closed = new ApiKeyChecker({ [ADMIN]: ['admin'] }, true);
    expect(() => closed.check('metrics', undefined)).toThrow(UnauthenticatedError);
    expect(() => closed.check('metrics', ADMIN)).not.toThrow();
  });

  it('counts a request against its configured key, else against its address (an invented key does not count)', () => {
    const checker = new ApiKeyChecker({ [PREDICT]: ['predict'] }, false);
    const known = checker.clientOf(PREDICT, '10.0.0.1');
    expect(known).toMatch(/^key:[0-9a-f]{64}$/);
    expect(known).not.toContain(PREDICT);
    expect(checker.clientOf(PREDICT, '10.0.0.2')).toBe(known);
    expect(checker.clientOf('made-up-key-000000001', '10.0.0.1')).toBe('ip:10.0.0.1');
    expect(checker.clientOf(undefined, '::1')).toBe('ip:::1');
  });

  it('reads the key from Authorization: Bearer or X-API-Key', () => {
    expect(presentedKey({ authorization: `Bearer ${ADMIN}` })).toBe(ADMIN);
    expect(presentedKey({ authorization: `bearer   ${ADMIN}  ` })).toBe(ADMIN);
    expect(presentedKey({ 'x-api-key': PREDICT })).toBe(PREDICT);
    expect(presentedKey({ authorization: 'Basic abc' })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });
});

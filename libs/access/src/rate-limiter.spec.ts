import { RateLimitedError } from '@app/errors';
import { RateLimiter } from './rate-limiter';

function limiter(perSecond: number, burst: number, maxClients?: number) {
  let now = 0;
  const rl = new RateLimiter({ perSecond, burst, maxClients }, () => now);
  return { rl, advance: (ms: number) => (now += ms) };
}

const refused = (fn: () => void): RateLimitedError | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error as RateLimitedError;
  }
};

describe('RateLimiter (token bucket per client)', () => {
  it('lets a burst through, then refuses with the seconds until the next token', () => {
    const { rl } = limiter(0.5, 3);
    for (let i = 0; i < 3; i++) rl.take('a');
    const error = refused(() => rl.take('a'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error!.retryAfterSeconds).toBe(2);
    expect(error!.message).toMatch(/rate limit of 0.5 requests per second \(bursts of 3\) exceeded/);
  });

  it('refills at the configured rate, never above the burst', () => {
    const { rl, advance } = limiter(10, 2);
    rl.take('a');
    rl.take('a');
    expect(refused(() => rl.take('a'))).toBeDefined();
    advance(100); // one token
    rl.take('a');
    expect(refused(() => rl.take('a'))).toBeDefined();
    advance(60_000); // long quiet: full again, but only `burst` tokens
    rl.take('a');
    rl.take('a');
    expect(refused(() => rl.take('a'))).toBeDefined();
  });

  it('keeps clients apart', () => {
    const { rl } = limiter(1, 1);
    rl.take('a');
    expect(refused(() => rl.take('a'))).toBeDefined();
    expect(() => rl.take('b')).not.toThrow();
  });

  it('stays bounded: past maxClients the least recently seen client is forgotten and starts again with a full bucket', () => {
    const { rl, advance } = limiter(1, 1, 2);
    rl.take('a');
    rl.take('b');
    rl.take('c'); // 'a' is forgotten
    expect(() => rl.take('a')).not.toThrow();
    advance(1000);
    expect(() => rl.take('c')).not.toThrow();
  });

  it('is off at 0 requests per second', () => {
    const { rl } = limiter(0, 1);
    expect(rl.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) rl.take('a');
  });
});

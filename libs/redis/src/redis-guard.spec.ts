import { DependencyUnavailableError, InvalidInputError } from '@app/errors';
import { withinRedisTimeout } from './redis-guard';

describe('withinRedisTimeout', () => {
  it('answers 503 DependencyUnavailableError when Redis does not answer in time (BullMQ would wait for it forever)', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withinRedisTimeout(never, 20, 'add a job')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('turns connection errors into DependencyUnavailableError and lets other errors through', async () => {
    await expect(withinRedisTimeout(Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false")), 1000, 'x')).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    await expect(withinRedisTimeout(Promise.reject(new InvalidInputError('bad')), 1000, 'x')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(withinRedisTimeout(Promise.reject(new Error('Missing lock for job')), 1000, 'x')).rejects.toThrow('Missing lock');
    await expect(withinRedisTimeout(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
  });
});

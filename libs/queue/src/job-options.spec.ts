import { QueueConfig } from '@app/config';
import { InvalidInputError } from '@app/errors';
import { bullJobOptions, jobTimeoutOf, splitJobRequest } from './job-options';
import { fromBullPriority, toBullPriority } from './job-priority';

const CONFIG: QueueConfig = {
  attempts: 3,
  backoffMs: 1000,
  removeOnCompleteSeconds: 3600,
  removeOnFailSeconds: 86400,
  maxWaiting: 10000,
  jobTimeoutMs: 60000,
  syncTimeoutMs: 30000,
  defaultPriority: 5,
  maxAttempts: 10,
  maxJobTimeoutMs: 600000,
  lockDurationMs: 10000,
  stalledIntervalMs: 5000,
  redisTimeoutMs: 5000,
  ackReplicas: 0,
};

describe('job options', () => {
  it('takes priority, attempts and timeoutMs out of the body and leaves the prediction body as :predict takes it', () => {
    const { body, options } = splitJobRequest({ instances: [[1, 2, 3, 4]], top_k: 1, priority: 10, attempts: 2, timeoutMs: 500 }, CONFIG);
    expect(body).toEqual({ instances: [[1, 2, 3, 4]], top_k: 1 });
    expect(options).toEqual({ priority: 10, attempts: 2, timeoutMs: 500 });
  });

  it('refuses a value outside its limits with an InvalidInputError naming the field', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ priority: 0 }, 'priority'],
      [{ priority: 10.5 }, 'priority'],
      [{ priority: '10' }, 'priority'],
      [{ attempts: 11 }, 'attempts'],
      [{ attempts: 0 }, 'attempts'],
      [{ timeoutMs: 0 }, 'timeoutMs'],
      [{ timeoutMs: 600001 }, 'timeoutMs'],
    ];
    for (const [fields, field] of bad) {
      let error: unknown;
      try {
        splitJobRequest({ instances: [], ...fields }, CONFIG);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
    }
  });

  it('leaves a body that is not an object to the decoder, which answers it', () => {
    expect(splitJobRequest([1, 2], CONFIG)).toEqual({ body: [1, 2], options: {} });
    expect(splitJobRequest(undefined, CONFIG)).toEqual({ body: undefined, options: {} });
  });

  it('maps our 10-first priorities onto BullMQ 1-first ones, never 0 (unprioritised jobs would jump the queue)', () => {
    expect(toBullPriority(10)).toBe(1);
    expect(toBullPriority(1)).toBe(10);
    for (let p = 1; p <= 10; p++) expect(fromBullPriority(toBullPriority(p))).toBe(p);
    expect(bullJobOptions('iris~x', {}, CONFIG).priority).toBe(toBullPriority(CONFIG.defaultPriority));
  });

  it('defaults to two retries a second apart: 3 attempts, exponential backoff from 1 s, expiring results and failures', () => {
    expect(bullJobOptions('iris~abc', { priority: 10 }, CONFIG)).toEqual({
      jobId: 'iris~abc',
      priority: 1,
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 86400 },
    });
    expect(bullJobOptions('iris~abc', { attempts: 7 }, CONFIG).attempts).toBe(7);
    expect(jobTimeoutOf({}, CONFIG)).toBe(60000);
    expect(jobTimeoutOf({ timeoutMs: 250 }, CONFIG)).toBe(250);
  });
});

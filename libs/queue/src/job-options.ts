import { JobsOptions } from 'bullmq';
import { QueueConfig } from '@app/config';
import { InvalidInputError } from '@app/errors';
import { toBullPriority } from './job-priority';

/** What a request may choose per job, next to the prediction body: `{"instances": ..., "priority": 10}`. */
export interface JobRequestOptions {
  /** 1..10, 10 first. */
  priority?: number;
  /** First try included. */
  attempts?: number;
  /** Per attempt, counted from when a worker starts it. */
  timeoutMs?: number;
}

export const JOB_OPTION_FIELDS = ['priority', 'attempts', 'timeoutMs'] as const;

/**
 * Splits a jobs request body into the prediction body (what :predict would take, checked later against the
 * model's signature, which refuses unknown fields) and the job's options, checked here against the limits
 * of the configuration: a bad value is a 400 naming the field.
 */
export function splitJobRequest(body: unknown, limits: QueueConfig): { body: unknown; options: JobRequestOptions } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { body, options: {} };
  const rest: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const options: JobRequestOptions = {};
  const priority = takeInt(rest, 'priority', 1, 10, 'an integer from 1 to 10 (10 runs first)');
  const attempts = takeInt(rest, 'attempts', 1, limits.maxAttempts, `an integer from 1 to ${limits.maxAttempts} (queue.maxAttempts)`);
  const timeoutMs = takeInt(rest, 'timeoutMs', 1, limits.maxJobTimeoutMs, `an integer number of milliseconds from 1 to ${limits.maxJobTimeoutMs} (queue.maxJobTimeoutMs)`);
  if (priority !== undefined) options.priority = priority;
  if (attempts !== undefined) options.attempts = attempts;
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  return { body: rest, options };
}

function takeInt(body: Record<string, unknown>, field: string, min: number, max: number, what: string): number | undefined {
  const value = body[field];
  delete body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${field} must be ${what}, got ${JSON.stringify(value)?.slice(0, 40)}`, field);
  }
  return value;
}

/** The job's priority on our scale (the request's, else queue.defaultPriority). */
export function priorityOf(options: JobRequestOptions, config: QueueConfig): number {
  return options.priority ?? config.defaultPriority;
}

/**
 * BullMQ options of a prediction job. Every job gets a priority: BullMQ runs unprioritised jobs before all
 * prioritised ones, so a job without one would jump every queue. Retries back off exponentially from
 * queue.backoffMs (two retries, the first after 1 s, with the defaults); results and failures expire.
 */
export function bullJobOptions(jobId: string, options: JobRequestOptions, config: QueueConfig): JobsOptions {
  return {
    jobId,
    priority: toBullPriority(priorityOf(options, config)),
    attempts: Math.min(options.attempts ?? config.attempts, config.maxAttempts),
    backoff: { type: 'exponential', delay: config.backoffMs },
    removeOnComplete: { age: config.removeOnCompleteSeconds },
    removeOnFail: { age: config.removeOnFailSeconds },
  };
}

export function jobTimeoutOf(options: JobRequestOptions, config: QueueConfig): number {
  return Math.min(options.timeoutMs ?? config.jobTimeoutMs, config.maxJobTimeoutMs);
}

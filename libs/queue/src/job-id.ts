import { createHash, randomUUID } from 'crypto';

/**
 * A job id carries its model, `<model>~<token>`, so that GET /v1/jobs/{id} finds the job's queue (one per
 * model) without an index to keep in step. `~` is URL-safe, cannot occur in a model name, and is not the
 * `:` that BullMQ refuses in custom ids. A token from an Idempotency-Key is a hash of it, so the same key
 * names the same job while BullMQ retains it.
 */
const SEPARATOR = '~';
const JOB_ID_PATTERN = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})~([A-Za-z0-9_-]{8,64})$/;

export function newJobId(model: string): string {
  return `${model}${SEPARATOR}${randomUUID()}`;
}

/** Scoped to the model: the same key sent for two models names two jobs. */
export function idempotentJobId(model: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`${model}\n${idempotencyKey}`).digest('base64url').slice(0, 32);
  return `${model}${SEPARATOR}k${digest}`;
}

/** The model of a job id, or undefined when the text cannot be one of our ids. */
export function modelOfJobId(id: string): string | undefined {
  const match = JOB_ID_PATTERN.exec(id);
  return match && !match[1].includes('..') ? match[1] : undefined;
}

/**
 * Every error a library throws on purpose is a ModelgateError. Libraries stay HTTP-agnostic: they name
 * what went wrong (`code`), and the HTTP layer alone decides the status from it (see the error filter).
 */
export abstract class ModelgateError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'MODEL_NOT_FOUND',
  'JOB_NOT_FOUND',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'MODEL_NOT_READY',
  'MODEL_LOAD_FAILED',
  'OVERLOADED',
  'DEPENDENCY_UNAVAILABLE',
  'INSTANCE_FAILED',
  'DEADLINE_EXCEEDED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Errors that a client may retry later carry the delay to put in Retry-After. */
export interface RetryableError {
  readonly retryAfterSeconds: number;
}

/** An error a client may retry; the HTTP layer turns retryAfterSeconds into Retry-After. */
export abstract class RetryableModelgateError extends ModelgateError implements RetryableError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

export function isRetryable(error: unknown): error is ModelgateError & RetryableError {
  return error instanceof ModelgateError && typeof (error as Partial<RetryableError>).retryAfterSeconds === 'number';
}

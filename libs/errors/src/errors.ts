import { ModelgateError, RetryableModelgateError } from './modelgate-error';

/** The request is malformed or does not fit the model's signature; `field` names the offending part. */
export class InvalidInputError extends ModelgateError {
  readonly code = 'INVALID_INPUT';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends ModelgateError {
  readonly code = 'UNAUTHENTICATED';
}

export class ForbiddenError extends ModelgateError {
  readonly code = 'FORBIDDEN';
}

export class ModelNotFoundError extends ModelgateError {
  readonly code = 'MODEL_NOT_FOUND';
  constructor(
    readonly model: string,
    readonly version?: number,
  ) {
    super(version === undefined ? `Model '${model}' not found` : `Version ${version} of model '${model}' not found`);
  }
}

export class JobNotFoundError extends ModelgateError {
  readonly code = 'JOB_NOT_FOUND';
  constructor(readonly jobId: string) {
    super(`Job '${jobId}' not found`);
  }
}

export class NotFoundError extends ModelgateError {
  readonly code = 'NOT_FOUND';
}

/** The request is valid but conflicts with the current state (e.g. cancelling a job that already started). */
export class ConflictError extends ModelgateError {
  readonly code = 'CONFLICT';
}

export class PayloadTooLargeError extends ModelgateError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class RateLimitedError extends RetryableModelgateError {
  readonly code = 'RATE_LIMITED';
}

/** The model exists but no version of it can serve right now (loading, or every version failed). */
export class ModelNotReadyError extends RetryableModelgateError {
  readonly code = 'MODEL_NOT_READY';
}

/** A model file could not be loaded (corrupt, wrong signature, missing provider). */
export class ModelLoadError extends ModelgateError {
  readonly code = 'MODEL_LOAD_FAILED';
}

/** A bounded queue is full: the request is refused at once rather than queued without limit. */
export class OverloadedError extends RetryableModelgateError {
  readonly code = 'OVERLOADED';
}

/** A dependency (Redis) does not answer. */
export class DependencyUnavailableError extends RetryableModelgateError {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  constructor(message: string, retryAfterSeconds = 5) {
    super(message, retryAfterSeconds);
  }
}

/** An inference instance (worker thread) died while running; it is replaced, so the request may be retried. */
export class InstanceFailedError extends RetryableModelgateError {
  readonly code = 'INSTANCE_FAILED';
}

export class DeadlineExceededError extends ModelgateError {
  readonly code = 'DEADLINE_EXCEEDED';
}

/** A failure that is a bug of ours; its message is logged, never sent. */
export class InternalError extends ModelgateError {
  readonly code = 'INTERNAL';
}

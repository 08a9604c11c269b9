import {
  DeadlineExceededError,
  InstanceFailedError,
  InternalError,
  InvalidInputError,
  ModelgateError,
  ModelNotReadyError,
  NotFoundError,
  OverloadedError,
} from '@app/errors';

/**
 * A failed job's reason is `<CODE>: <message>` (BullMQ keeps only a string), so that whoever reads it back
 * (GET /v1/jobs/{id}, a `route: queue` request waiting for the result) knows what kind of failure it was.
 */
export function failureReason(error: unknown): string {
  if (error instanceof ModelgateError) return `${error.code}: ${error.message}`;
  return `INTERNAL: ${(error as Error)?.message ?? String(error)}`;
}

const REASON = /^([A-Z_]+): ([\s\S]*)$/;

export function splitFailureReason(reason: string | undefined): { code: string; message: string } {
  const match = REASON.exec(reason ?? '');
  return match ? { code: match[1], message: match[2] } : { code: 'INTERNAL', message: reason || 'the job failed' };
}

/** The error a waiting `route: queue` request answers with when its job failed. */
export function errorOfFailure(reason: string | undefined): ModelgateError {
  const { code, message } = splitFailureReason(reason);
  switch (code) {
    case 'INVALID_INPUT':
      return new InvalidInputError(message);
    case 'MODEL_NOT_FOUND':
    case 'NOT_FOUND':
      return new NotFoundError(message);
    case 'MODEL_NOT_READY':
      return new ModelNotReadyError(message);
    case 'OVERLOADED':
      return new OverloadedError(message);
    case 'DEADLINE_EXCEEDED':
      return new DeadlineExceededError(message);
    case 'INSTANCE_FAILED':
      return new InstanceFailedError(message);
    default:
      return new InternalError(message);
  }
}

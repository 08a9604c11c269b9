import { ErrorCode } from '@app/errors';

/** The one place where error codes become HTTP statuses (the design page's status table). */
export const STATUS_OF: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  MODEL_LOAD_FAILED: 400, // as Triton's repository extension answers a failed load
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  MODEL_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  MODEL_NOT_READY: 503,
  OVERLOADED: 503,
  DEPENDENCY_UNAVAILABLE: 503,
  INSTANCE_FAILED: 503,
  DEADLINE_EXCEEDED: 504,
};

/** For errors raised by the framework (routing, body parsing) rather than by our code. */
export function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 415:
      return 'INVALID_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
    case 405:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'OVERLOADED';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return 'INTERNAL';
  }
}

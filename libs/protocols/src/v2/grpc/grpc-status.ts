import { Metadata, status } from '@grpc/grpc-js';
import { ErrorCode, isRetryable, ModelgateError } from '@app/errors';

/** The one place where error codes become gRPC statuses, as STATUS_OF makes them HTTP statuses. */
export const GRPC_STATUS_OF: Record<ErrorCode, status> = {
  INVALID_INPUT: status.INVALID_ARGUMENT,
  MODEL_LOAD_FAILED: status.INVALID_ARGUMENT,
  UNAUTHENTICATED: status.UNAUTHENTICATED,
  FORBIDDEN: status.PERMISSION_DENIED,
  MODEL_NOT_FOUND: status.NOT_FOUND,
  JOB_NOT_FOUND: status.NOT_FOUND,
  NOT_FOUND: status.NOT_FOUND,
  CONFLICT: status.FAILED_PRECONDITION,
  PAYLOAD_TOO_LARGE: status.RESOURCE_EXHAUSTED,
  RATE_LIMITED: status.RESOURCE_EXHAUSTED,
  INTERNAL: status.INTERNAL,
  MODEL_NOT_READY: status.UNAVAILABLE,
  OVERLOADED: status.UNAVAILABLE,
  DEPENDENCY_UNAVAILABLE: status.UNAVAILABLE,
  INSTANCE_FAILED: status.UNAVAILABLE,
  DEADLINE_EXCEEDED: status.DEADLINE_EXCEEDED,
};

export interface GrpcError {
  code: status;
  details: string;
  metadata: Metadata;
}

/**
 * A thrown error as a gRPC status. Trailers carry the stable code (`modelgate-code`) and, for errors a
 * client may retry, `retry-after` in seconds as HTTP's header does. Anything that is not a ModelgateError
 * is a bug: INTERNAL with a generic message, never the stack.
 */
export function grpcErrorOf(error: unknown): GrpcError {
  const metadata = new Metadata();
  if (!(error instanceof ModelgateError)) {
    metadata.set('modelgate-code', 'INTERNAL');
    return { code: status.INTERNAL, details: 'internal error', metadata };
  }
  metadata.set('modelgate-code', error.code);
  if (isRetryable(error)) metadata.set('retry-after', String(error.retryAfterSeconds));
  return { code: GRPC_STATUS_OF[error.code], details: error.message, metadata };
}

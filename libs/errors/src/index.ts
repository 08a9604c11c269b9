export { ModelgateError, RetryableModelgateError, ERROR_CODES, isRetryable } from './modelgate-error';
export type { ErrorCode, RetryableError } from './modelgate-error';
export * from './errors';

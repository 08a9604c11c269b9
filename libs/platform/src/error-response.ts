import { HttpException, Logger } from '@nestjs/common';
import { isRetryable, ModelgateError } from '@app/errors';
import { codeOfStatus, STATUS_OF } from './error-status';

export interface ErrorResponse {
  status: number;
  body: { error: string; code: string };
  retryAfterSeconds?: number;
}

const logger = new Logger('Errors');

/**
 * Any thrown value -> status and `{"error", "code"}` body (the shape TF Serving and KServe clients read).
 * Our own errors carry their message; framework errors keep theirs; anything else is a bug: logged with
 * its stack, answered 500 with no detail.
 */
export function toErrorResponse(error: unknown, requestId?: string): ErrorResponse {
  if (error instanceof ModelgateError) {
    const status = STATUS_OF[error.code];
    if (status >= 500 && error.code === 'INTERNAL') logger.error(error.message, error.stack);
    return {
      status,
      body: { error: error.message, code: error.code },
      retryAfterSeconds: isRetryable(error) ? Math.max(1, Math.ceil(error.retryAfterSeconds)) : undefined,
    };
  }
  // Nest turns Fastify's own errors (body parsing, limits, routing) into HttpExceptions with its message.
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { status, body: { error: frameworkMessage(status, httpMessage(error)), code: codeOfStatus(status) } };
  }
  const fastifyStatus = (error as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const message = frameworkMessage(fastifyStatus, (error as Error).message);
    return { status: fastifyStatus, body: { error: message, code: codeOfStatus(fastifyStatus) } };
  }
  logger.error(`unexpected error${requestId ? ` in request ${requestId}` : ''}: ${(error as Error)?.message ?? String(error)}`, (error as Error)?.stack);
  return { status: 500, body: { error: `internal error${requestId ? ` (request id ${requestId})` : ''}`, code: 'INTERNAL' } };
}

function httpMessage(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message.replace(/^Cannot (\w+) (.*)$/, 'no route $1 $2');
  return error.message;
}

/** Framework messages reworded so that a client knows what to change. */
function frameworkMessage(status: number, message: string): string {
  if (status === 413) return /decompressed/.test(message) ? message : 'request body is larger than the server accepts (server.bodyLimitBytes)';
  if (status === 415) return /Content-Encoding/.test(message) ? message : 'unsupported content type: send JSON with Content-Type: application/json';
  if (/body cannot be empty/i.test(message)) return 'request body is empty; send a JSON object';
  if (status === 400 && /JSON|Unexpected token|Expected/.test(message)) return `request body is not valid JSON: ${message}`;
  return message;
}

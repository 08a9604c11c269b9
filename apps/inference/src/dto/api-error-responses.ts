import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

export interface ErrorDoc {
  status: number;
  description: string;
}

/** Documents the error statuses a route answers, each with the `{"error", "code"}` body. */
export function ApiErrorResponses(...errors: ErrorDoc[]): MethodDecorator {
  return applyDecorators(...errors.map((e) => ApiResponse({ ...e, type: ErrorResponseDto })));
}

/** Rows every prediction route shares. */
export const UNKNOWN_MODEL: ErrorDoc = { status: 404, description: 'Unknown model or version' };
export const BODY_TOO_LARGE: ErrorDoc = { status: 413, description: 'Body larger than server.bodyLimitBytes' };
export const RATE_LIMITED: ErrorDoc = { status: 429, description: 'This client is over auth.rateLimitPerSecond (Retry-After)' };
export const UNSUPPORTED_TYPE: ErrorDoc = { status: 415, description: 'A Content-Type this route does not read' };

/**
 * The key rows, by the scope a route needs (see ApiKeyChecker). A predict route has no 403: every key has
 * the predict or the admin scope, and an admin key may predict.
 */
export const KEY_ERRORS: Record<'predict' | 'admin', ErrorDoc[]> = {
  predict: [{ status: 401, description: 'No API key or an unknown one, once some key has the predict scope (auth.apiKeys); open until then' }],
  admin: [
    { status: 401, description: 'No API key or an unknown one (closed when no key has the admin scope)' },
    { status: 403, description: 'The key lacks the admin scope' },
  ],
};

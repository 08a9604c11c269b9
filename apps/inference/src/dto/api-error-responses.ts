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

import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponse, toErrorResponse } from './error-response';

/** The app's single exception filter: every error leaves as `{"error", "code"}` with the right status. */
@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    sendError(reply, toErrorResponse(error, request?.id));
  }
}

export function sendError(reply: FastifyReply, response: Pick<ErrorResponse, 'status' | 'body' | 'retryAfterSeconds'>): void {
  if (response.retryAfterSeconds !== undefined) reply.header('Retry-After', String(response.retryAfterSeconds));
  // Sent serialized with the type as a header: for an object Fastify would add '; charset=utf-8' to the type,
  // and KServe's client reads an error's message only when it is exactly application/json.
  void reply.status(response.status).header('content-type', 'application/json').send(JSON.stringify(response.body));
}

import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';

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

export function sendError(reply: FastifyReply, response: ReturnType<typeof toErrorResponse>): void {
  if (response.retryAfterSeconds !== undefined) reply.header('Retry-After', String(response.retryAfterSeconds));
  void reply.status(response.status).type('application/json; charset=utf-8').send(response.body);
}

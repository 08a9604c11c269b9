import { ArgumentsHost, Catch, ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * Terminus answers a failed readiness check with 503 and the check results, which name the failing part
 * (`{"status":"error","error":{"redis":{"status":"down",...}}}`). Orchestrators and operators read that
 * body, so it is kept here instead of being reshaped into `{"error","code"}` by the app's global filter.
 */
@Catch(ServiceUnavailableException)
export class ReadinessFailureFilter implements ExceptionFilter {
  catch(error: ServiceUnavailableException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(503).type('application/json; charset=utf-8').send(error.getResponse());
  }
}

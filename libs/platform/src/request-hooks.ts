import { randomUUID } from 'crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'winston';
import { RequestContext } from '@app/logging';
import { workerIndex } from './workers/server-workers';

export interface ResponseObservation {
  method: string;
  /** The route pattern (`/v1/models/:target`), not the URL: bounded label values for metrics. */
  route: string;
  status: number;
  seconds: number;
}

export interface RequestHookOptions {
  logger: Logger;
  accessLog: boolean;
  onResponse?: (observation: ResponseObservation) => void;
}

const SAFE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** A client's X-Request-Id is kept when it is a sane token; otherwise we make one. */
export function requestIdOf(headers: Record<string, string | string[] | undefined>): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

/**
 * Request id (in the response and every log line of the request) and the access log, as Fastify hooks:
 * they see every request, including the ones that fail before reaching a controller.
 */
export function registerRequestHooks(fastify: FastifyInstance, options: RequestHookOptions): void {
  const access = options.logger.child({ context: 'Access' });
  // With server.workers > 1, which worker answered (for operators tracing a request, and the tests).
  const worker = workerIndex();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (worker !== undefined) reply.header('x-modelgate-worker', String(worker));
    RequestContext.run({ requestId: request.id }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const seconds = reply.elapsedTime / 1000;
    options.onResponse?.({ method: request.method, route, status: reply.statusCode, seconds });
    if (options.accessLog) {
      access.info(`${request.method} ${request.url} ${reply.statusCode} ${seconds * 1000 < 10 ? (seconds * 1000).toFixed(2) : Math.round(seconds * 1000)} ms`, {
        requestId: request.id,
        method: request.method,
        route,
        status: reply.statusCode,
        latencyMs: Math.round(seconds * 1e6) / 1000,
      });
    }
    done();
  });
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? 'unmatched';
}

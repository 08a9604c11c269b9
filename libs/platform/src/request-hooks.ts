import { randomUUID } from 'crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessLog } from '@app/logging';
import { workerIndex } from './workers/server-workers';

export interface ResponseObservation {
  method: string;
  /** The route pattern (`/v1/models/:target`), not the URL: bounded label values for metrics. */
  route: string;
  status: number;
  seconds: number;
}

export interface RequestHookOptions {
  access: AccessLog;
  onResponse?: (observation: ResponseObservation) => void;
}

const SAFE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** A client's X-Request-Id is kept when it is a sane token; otherwise we make one. */
export function requestIdOf(headers: Record<string, string | string[] | undefined>): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}

/**
 * Request id (in the response, the access line, and the lines of control calls that are handed it) and
 * the access log, as Fastify hooks: they see every request, including the ones that fail before reaching
 * a controller. The id is not carried by AsyncLocalStorage: on Node 20 that turns on promise hooks for
 * every promise of the process, a fifth of the main thread's time per cached prediction, measured.
 */
export function registerRequestHooks(fastify: FastifyInstance, options: RequestHookOptions): void {
  const { access } = options;
  // With server.workers > 1, which worker answered (for operators tracing a request, and the tests).
  const worker = workerIndex();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    if (worker !== undefined) reply.header('x-modelgate-worker', String(worker));
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const seconds = reply.elapsedTime / 1000;
    options.onResponse?.({ method: request.method, route, status: reply.statusCode, seconds });
    if (access.active) {
      const ms = seconds * 1000;
      access.write(`${request.method} ${request.url} ${reply.statusCode} ${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`, {
        method: request.method,
        route,
        status: reply.statusCode,
        latencyMs: Math.round(seconds * 1e6) / 1000,
      }, request.id);
    }
    done();
  });
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? 'unmatched';
}

import type { FastifyInstance } from 'fastify';

const FASTIFY_JSON = 'application/json; charset=utf-8';

/**
 * JSON answers say `Content-Type: application/json`, exactly: KServe's Python REST client reads an error's
 * message only when the type is that string, and Fastify adds `; charset=utf-8` (JSON is UTF-8 by definition).
 */
export function registerJsonContentType(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.getHeader('content-type') === FASTIFY_JSON) void reply.header('content-type', 'application/json');
    done(null, payload);
  });
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInputError } from '@app/errors';

/** Routes whose body may be the binary tensor data extension. */
const INFER_ROUTE = /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer$/;
/** Routes whose body is read by what it is when no usable Content-Type says (the prediction and repository routes). */
const SNIFFED_ROUTES = [INFER_ROUTE, /^\/v2\/repository\//, /^\/v1\/models\/[^/]+(\/versions\/[^/]+)?(\/jobs)?$/, /^\/v1\/models\/[^/]+\/labels\/[^/]+$/];
/** Content types that say nothing about the body: it is read by what it is. */
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', '*/*']);

/**
 * Bodies as real clients send them. Triton's Python HTTP client sends no Content-Type at all: its body is
 * plain JSON, or JSON followed by the tensors' bytes with `Inference-Header-Content-Length` (the binary
 * tensor data extension; other clients label that `application/octet-stream`). So on the prediction and
 * repository routes a body without a specific type is the binary extension when that header is there
 * (V2 infer only), JSON otherwise. A specific type that is not JSON (image/png, ...) stays a 415.
 */
@Injectable()
export class RequestBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function' || fastify.hasContentTypeParser('*')) return;
    // '*' also takes requests that send a body with no Content-Type header.
    fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
      try {
        done(null, readBody(request, body));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
}

function readBody(request: FastifyRequest, body: Buffer): unknown {
  const route = request.routeOptions?.url ?? '';
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!GENERIC_TYPES.has(type) || !SNIFFED_ROUTES.some((r) => r.test(route))) {
    throw Object.assign(new Error('unsupported content type'), { statusCode: 415 });
  }
  if (INFER_ROUTE.test(route) && request.headers['inference-header-content-length'] !== undefined) return body;
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    if (INFER_ROUTE.test(route)) {
      throw new InvalidInputError(
        `the body is neither JSON nor the binary tensor data extension (that needs Inference-Header-Content-Length: the byte length of its JSON request): ${(error as Error).message}`,
        'Inference-Header-Content-Length',
      );
    }
    throw Object.assign(new Error(`request body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 });
  }
}

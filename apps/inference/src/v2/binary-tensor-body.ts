import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const INFER_ROUTE = /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer$/;

/**
 * The binary tensor data extension (Triton) sends `application/octet-stream`: a JSON request of
 * Inference-Header-Content-Length bytes, then the tensors' raw bytes. Triton's Python and C++ HTTP clients
 * send inputs this way by default. The body is read as a Buffer on the V2 infer routes only; elsewhere an
 * octet-stream body stays what it was (415).
 */
@Injectable()
export class BinaryTensorBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addContentTypeParser !== 'function' || fastify.hasContentTypeParser('application/octet-stream')) return;
    fastify.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (request: FastifyRequest, body: Buffer, done) => {
      if (!INFER_ROUTE.test(request.routeOptions?.url ?? '')) {
        const error = new Error('unsupported content type') as Error & { statusCode: number };
        error.statusCode = 415;
        return done(error, undefined);
      }
      done(null, body);
    });
  }
}

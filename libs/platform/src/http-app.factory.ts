import fastifyCompress from '@fastify/compress';
import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ServerConfig } from '@app/config';
import type { AccessLog } from '@app/logging';
import { AllErrorsFilter } from './all-errors.filter';
import { clientErrorHandler, frameworkErrors } from './http-layer-errors';
import { registerJsonContentType } from './json-content-type';
import { registerRequestDecompression } from './request-decompression';
import { registerRequestHooks, requestIdOf, ResponseObservation } from './request-hooks';

export interface HttpAppOptions {
  server: ServerConfig;
  nestLogger: LoggerService;
  access: AccessLog;
  onResponse?: (observation: ResponseObservation) => void;
}

/**
 * A Nest app on Fastify with modelgate's HTTP conventions: request ids, access log, JSON errors for
 * everything, body limit. Nest installs the Fastify error handler that routes body-parse failures (bad
 * JSON, 413) through AllErrorsFilter too.
 */
export async function createHttpApp(rootModule: unknown, options: HttpAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.server.bodyLimitBytes,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => requestIdOf(req.headers),
    logger: false,
    return503OnClosing: true,
    // No Nest middleware is used: without this, @fastify/middie matches every request against none.
    skipMiddie: true,
    frameworkErrors,
    clientErrorHandler,
  });
  const fastify = adapter.getInstance();
  registerRequestHooks(fastify, { access: options.access, onResponse: options.onResponse });
  registerRequestDecompression(fastify, options.server.bodyLimitBytes);
  registerJsonContentType(fastify);
  // TF Serving parses the body as JSON whatever the content type, and `curl -d` sends form encoding.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(['text/plain', 'application/x-www-form-urlencoded'], { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (error) {
      (error as Error & { statusCode?: number }).statusCode = 400;
      done(error as Error, undefined);
    }
  });

  const app = await NestFactory.create<NestFastifyApplication>(rootModule as never, adapter, {
    logger: options.nestLogger,
    abortOnError: false,
    bodyParser: false, // Fastify's own JSON parser (and ours above) instead of Nest's registration
  });
  app.useGlobalFilters(new AllErrorsFilter());
  // Answers of 1 KB and more go gzip or deflate when the client accepts it (a V2 answer of a big batch
  // shrinks several times); requests are inflated by registerRequestDecompression, which bounds them.
  await app.register(fastifyCompress as never, { global: true, globalDecompression: false, threshold: 1024, encodings: ['gzip', 'deflate'] });
  // useProcessExit: once the hooks have run, exit 0 (and fire 'exit' handlers, such as the one that stops a
  // private redis-server) instead of Nest's default of re-raising the signal, which ends the process as
  // killed (exit status 143) and skips 'exit' handlers.
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  return app;
}

import type { FastifyInstance } from 'fastify';
import { Transform, TransformCallback } from 'stream';
import { createGunzip, createInflate } from 'zlib';

const httpError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

/**
 * Request bodies sent with `Content-Encoding: gzip` or `deflate` (Triton's clients do, with
 * request_compression_algorithm) are inflated as they arrive. The body limit applies to the inflated
 * bytes, and the inflater stops the moment they pass it: a compression bomb answers 413 having cost one
 * body limit of memory and no more inflating. Content-Length is checked against the bytes on the wire.
 */
export function registerRequestDecompression(fastify: FastifyInstance, bodyLimitBytes: number): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = String(request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity') return done(null, payload);
    if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
      return done(httpError(415, `Content-Encoding '${encoding.slice(0, 40)}' is not supported: send gzip, deflate or identity`));
    }
    done(null, inflated(payload, encoding === 'deflate' ? 'deflate' : 'gzip', bodyLimitBytes));
  });
}

function inflated(wire: NodeJS.ReadableStream, encoding: 'gzip' | 'deflate', limit: number): Transform {
  const inflater = encoding === 'deflate' ? createInflate() : createGunzip();
  let inflatedBytes = 0;
  const out = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      inflatedBytes += chunk.length;
      if (inflatedBytes <= limit) return callback(null, chunk);
      wire.unpipe(inflater);
      inflater.destroy();
      callback(httpError(413, 'request body is larger than the server accepts once decompressed (server.bodyLimitBytes)'));
    },
  }) as Transform & { receivedEncodedLength: number };
  // Fastify compares Content-Length with this, the bytes that came over the wire.
  out.receivedEncodedLength = 0;
  wire.on('data', (chunk: Buffer) => (out.receivedEncodedLength += chunk.length));
  inflater.on('error', (error: Error) => out.destroy(httpError(400, `request body is not valid ${encoding} data: ${error.message}`)));
  wire.pipe(inflater).pipe(out);
  return out;
}

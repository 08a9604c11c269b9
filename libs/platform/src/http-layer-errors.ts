import { STATUS_CODES } from 'http';
import type { Socket } from 'net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Errors Fastify and Node raise before a route runs, in the project's `{"error", "code"}` form with a
 * short message that never echoes the URL (a 3,000-character name would come back whole otherwise).
 */
export function frameworkErrors(error: Error & { code?: string }, _request: FastifyRequest, reply: FastifyReply): void {
  const [status, message] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? [414, 'a path segment of the URL is longer than the server accepts (100 characters)']
      : error.code === 'FST_ERR_BAD_URL'
        ? [400, 'the URL is not valid: a percent-encoded character is broken']
        : [400, 'the request could not be routed'];
  // Written on the raw response: these replies skip the app's hooks, and Fastify's send would add a charset.
  const body = JSON.stringify({ error: message, code: 'INVALID_INPUT' });
  reply.raw.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  reply.raw.end(body);
}

/** Errors of the HTTP parser itself (headers too large, a malformed request): answered on the socket, then closed. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request line and headers are larger than the server accepts (16 KB): send a shorter URL or fewer headers']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time']
        : [400, 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: message, code: status === 408 ? 'DEADLINE_EXCEEDED' : 'INVALID_INPUT' });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

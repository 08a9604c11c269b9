import * as http from 'http';
import * as https from 'https';
import { CliError } from '../cli-error';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  ms: number;
}

export interface RequestOptions {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /**
   * A body the server should refuse from its headers alone (too large): send the first bytes, wait for the
   * answer, and send the rest only if none comes. Writing it all first races the server's close (EPIPE, or
   * a reset that drops the answer it already sent).
   */
  refusedEarly?: boolean;
}

/** A transport failure (no answer at all), as opposed to an answer with an error status. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * The one HTTP client of the command: keep-alive connections to one server, the API key on every request,
 * and the answer whatever its status (the callers judge statuses). Node's http module rather than fetch:
 * the error-handling checks send bodies that fetch would refuse or finish writing after the server answered.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
    maxSockets = 64,
  ) {
    const secure = baseUrl.startsWith('https:');
    this.transport = secure ? https : http;
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets }) : new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Headers every request carries (also used by the load generator). */
  authHeaders(): Record<string, string> {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
  }

  request(path: string, options: RequestOptions = {}): Promise<HttpAnswer> {
    const url = new URL(this.baseUrl + path);
    const body = options.body;
    const headers: Record<string, string> = { accept: 'application/json', ...this.authHeaders(), ...options.headers };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const started = process.hrtime.bigint();
    return new Promise<HttpAnswer>((resolve, reject) => {
      let answered = false;
      const req = this.transport.request(
        url,
        {
          method: options.method ?? (body === undefined ? 'GET' : 'POST'),
          headers,
          // A refused body is never read to its end: that connection cannot be kept for another request.
          agent: options.refusedEarly ? false : this.agent,
          timeout: options.timeoutMs ?? 30_000,
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (error) => reject(new TransportError(error.message)));
          res.on('end', () => {
            if (options.refusedEarly) req.destroy();
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: Number(process.hrtime.bigint() - started) / 1e6 });
          });
        },
      );
      req.on('timeout', () => req.destroy(new TransportError(`no answer within ${options.timeoutMs ?? 30_000} ms`, 'ETIMEDOUT')));
      // A server may answer (413) and close before a large body is written: the answer is what counts.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!answered) reject(error instanceof TransportError ? error : new TransportError(describeNetworkError(error, this.baseUrl), error.code));
      });
      if (body === undefined) {
        req.end();
      } else if (!options.refusedEarly) {
        req.end(body);
      } else {
        const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
        req.write(bytes.subarray(0, 1024));
        const rest = setTimeout(() => req.end(bytes.subarray(1024)), 3000);
        req.once('response', () => clearTimeout(rest));
      }
    });
  }

  /** POST a JSON value. */
  postJson(path: string, value: unknown, timeoutMs?: number): Promise<HttpAnswer> {
    return this.request(path, { body: JSON.stringify(value), headers: { 'content-type': 'application/json' }, timeoutMs });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function describeNetworkError(error: NodeJS.ErrnoException, baseUrl: string): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `cannot reach the server at ${baseUrl}: connection refused (is it running? \`modelgate serve\` starts one)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach the server at ${baseUrl}: the host name does not resolve`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `the server at ${baseUrl} closed the connection (${error.code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach the server at ${baseUrl}: no route to the host`;
    default:
      return `cannot reach the server at ${baseUrl}: ${error.message}`;
  }
}

/** The `{"error": ...}` message of an answer, or its first characters. */
export function errorText(answer: HttpAnswer): string {
  const body = answer.json as { error?: unknown } | undefined;
  if (body && typeof body.error === 'string') return body.error;
  return answer.text.slice(0, 200) || '(empty body)';
}

/** A transport failure met before any test ran: one line, and the command cannot run. */
export function unreachable(error: unknown): CliError {
  return new CliError(error instanceof Error ? error.message : String(error));
}

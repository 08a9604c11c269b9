import { LEVEL, MESSAGE } from 'triple-beam';
import type TransportStream from 'winston-transport';

/** Where access lines go: a transport of the app's logger and how it writes a line. */
export interface AccessSink {
  transport: TransportStream;
  format: (line: AccessLine) => string;
}

/** One answered request (HTTP) or call (gRPC). */
export interface AccessLine {
  timestamp: string;
  message: string;
  requestId?: string;
  fields: Record<string, string | number>;
}

const noop = () => undefined;

/**
 * The access log: one line per request, written to the same transports (rotating file, console) as the
 * app's other lines, but not through winston's per-line pipeline. Under load that pipeline (a Transform
 * stream per transport, format chains, a date check per write in the file rotator) cost about a fifth of
 * the main thread's time per request, measured in `npm run bench -- profile`. Lines are formatted once per
 * sink and written in batches: at most `flushMs` later, or at once when `maxBatch` lines wait. So an
 * access line can follow, by up to `flushMs`, a line the app wrote after it; timestamps stay exact.
 */
export class AccessLog {
  private pending: AccessLine[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sinks: AccessSink[],
    private readonly enabled: boolean,
    private readonly flushMs = 50,
    private readonly maxBatch = 256,
  ) {}

  get active(): boolean {
    return this.enabled && this.sinks.length > 0;
  }

  write(message: string, fields: Record<string, string | number>, requestId?: string): void {
    if (!this.active) return;
    this.pending.push({ timestamp: new Date().toISOString(), message, requestId, fields });
    if (this.pending.length >= this.maxBatch) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.flushMs).unref();
  }

  /** Writes what waits; called by the timer and on shutdown. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    for (const sink of this.sinks) {
      let batch = sink.format(lines[0]);
      for (let i = 1; i < lines.length; i++) batch += `\n${sink.format(lines[i])}`;
      // A transport's log() writes info[MESSAGE] and its end of line as they are: the batch is one write.
      sink.transport.log?.({ level: 'info', [LEVEL]: 'info', [MESSAGE]: batch, message: batch }, noop);
    }
  }
}

/** The access line as the JSON files (and a JSON console) hold it: the fields every other line has, plus the request's. */
export function jsonAccessLine(line: AccessLine): string {
  return JSON.stringify({ level: 'info', message: line.message, context: 'Access', ...(line.requestId ? { requestId: line.requestId } : {}), ...line.fields, timestamp: line.timestamp });
}

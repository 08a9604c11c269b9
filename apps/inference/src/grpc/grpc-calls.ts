import { Injectable, Logger } from '@nestjs/common';
import type { Metadata, sendUnaryData, ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import { ApiKeyGuard, RequiredScope } from '@app/access';
import { AccessLog } from '@app/logging';
import { LATENCY_BUCKETS, MetricsService } from '@app/metrics';
import { grpcErrorOf } from '@app/protocols';

export type UnaryHandler<Req, Res> = (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void;

/** gRPC metadata as the header map ApiKeyGuard reads (authorization, x-api-key). */
export function headersOf(metadata: Metadata): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) headers[key] = typeof value === 'string' ? value : undefined;
  return headers;
}

/** What is left of the call's deadline in milliseconds; undefined when the client set none. */
export function remainingMs(deadline: Date | number): number | undefined {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, at - Date.now());
}

/**
 * What every RPC shares, as the HTTP layer's guard, error filter, metrics and access log do for routes:
 * the API key and its scope from the call's metadata, the error as a gRPC status, and one observation.
 */
@Injectable()
export class GrpcCalls {
  private readonly logger = new Logger('Grpc');
  private readonly calls;
  private readonly duration;

  constructor(
    private readonly guard: ApiKeyGuard,
    private readonly access: AccessLog,
    metrics: MetricsService,
  ) {
    this.calls = metrics.counter({ name: 'modelgate_grpc_requests_total', help: 'gRPC calls by method and status code', labelNames: ['method', 'code'] });
    this.duration = metrics.histogram({
      name: 'modelgate_grpc_request_duration_seconds',
      help: 'gRPC call latency by method and status code',
      labelNames: ['method', 'code'],
      buckets: LATENCY_BUCKETS,
    });
  }

  /** Admits the caller, or throws the error that refuses it (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED). */
  admit(scope: RequiredScope | undefined, metadata: Metadata, peer: string): void {
    this.guard.admit(scope, headersOf(metadata), addressOf(peer));
  }

  unary<Req, Res>(method: string, scope: RequiredScope | undefined, run: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res> | Res): UnaryHandler<Req, Res> {
    return (call, callback) => {
      const started = process.hrtime.bigint();
      const finish = (error: unknown, answer?: Res) => {
        const grpcError = error === undefined ? undefined : grpcErrorOf(error);
        if (grpcError && grpcError.code === 13) this.logger.error(`gRPC ${method} failed: ${(error as Error)?.stack ?? String(error)}`);
        this.observe(method, grpcError?.code ?? 0, started);
        if (grpcError) callback({ code: grpcError.code, details: grpcError.details, metadata: grpcError.metadata } as ServiceError);
        else callback(null, answer);
      };
      try {
        this.admit(scope, call.metadata, call.getPeer());
        Promise.resolve(run(call.request, call)).then((answer) => finish(undefined, answer), finish);
      } catch (error) {
        finish(error);
      }
    };
  }

  observe(method: string, code: number, started: bigint): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const labels = { method, code: String(code) };
    this.calls.inc(labels);
    this.duration.observe(labels, seconds);
    if (this.access.active) this.access.write(`gRPC ${method} ${code} ${(seconds * 1000).toFixed(2)} ms`, { method, code, latencyMs: Math.round(seconds * 1e6) / 1000 });
  }
}

/** `ipv4:127.0.0.1:5555` / `ipv6:[::1]:5555` -> the address, as HTTP's request.ip gives it (for per-client rate limits). */
function addressOf(peer: string): string {
  const match = /^(?:ipv4:|ipv6:)?\[?([^\]]*?)\]?:\d+$/.exec(peer);
  return match ? match[1] : peer;
}

import type { HealthIndicatorResult } from '@nestjs/terminus';

/** One part of readiness; each app lists the parts it depends on. */
export interface ReadinessCheck {
  check(): Promise<HealthIndicatorResult>;
  /**
   * false for a part that jobs need and inline predictions do not (Redis, the queue backlog). /health/ready
   * reports every part; "ready to infer" (V2's ready routes, gRPC ServerReady and grpc.health.v1, the
   * Kubernetes readiness probe of the inference app) leaves these out, so a Redis outage does not take every
   * replica out of its Service while each of them can still answer predictions.
   */
  readonly neededToInfer?: boolean;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

import type { HealthIndicatorResult } from '@nestjs/terminus';

/** One part of readiness; each app lists the parts it depends on. */
export interface ReadinessCheck {
  check(): Promise<HealthIndicatorResult>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

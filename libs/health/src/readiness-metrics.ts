import { Inject, Injectable } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { MetricsService } from '@app/metrics';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';

/** Every app of a process (the all-in-one runs three) adds its checks to the one gauge of its registry. */
const checksOf = new WeakMap<Gauge<'check'>, Set<ReadinessCheck>>();

/**
 * modelgate_readiness_check{check}: 1 while a part of readiness (redis, models, eventLoop, queueBacklog)
 * is up, 0 while it is down, as /health/ready would answer now. The checks run when Prometheus scrapes
 * (each bounded by its own timeout), so an alert on Redis being unreachable needs no probe traffic.
 */
@Injectable()
export class ReadinessMetrics {
  constructor(metrics: MetricsService, @Inject(READINESS_CHECKS) checks: ReadinessCheck[]) {
    const gauge = metrics.gauge({
      name: 'modelgate_readiness_check',
      help: '1 when the readiness check passes, 0 when it fails (the parts /health/ready reports: redis, models, eventLoop, queueBacklog)',
      labelNames: ['check'],
      // With server.workers > 1: a part is up only where it is up on every worker.
      aggregator: 'min',
      async collect() {
        this.reset();
        const results = await Promise.all([...(checksOf.get(this) ?? [])].map((c) => c.check().catch(() => ({}))));
        const states = new Map<string, number>();
        for (const result of results) {
          for (const [check, status] of Object.entries(result)) {
            const up = (status as { status?: string }).status === 'up' ? 1 : 0;
            states.set(check, Math.min(up, states.get(check) ?? 1));
          }
        }
        for (const [check, up] of states) this.set({ check }, up);
      },
    });
    if (!checksOf.has(gauge)) checksOf.set(gauge, new Set());
    for (const check of checks) checksOf.get(gauge)!.add(check);
  }
}

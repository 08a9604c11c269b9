import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { IntervalHistogram, monitorEventLoopDelay } from 'perf_hooks';
import { HealthConfig } from '@app/config';
import { ReadinessCheck } from './readiness-check';

/**
 * Event-loop delay since the previous probe. A blocked loop (say, inference run on the main thread by
 * mistake) serves nothing in time even though the process lives: take it out of rotation.
 */
@Injectable()
export class EventLoopHealthIndicator implements ReadinessCheck, OnModuleDestroy {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly config: HealthConfig,
  ) {
    this.histogram.enable();
  }

  async check() {
    const p99 = this.histogram.percentile(99) / 1e6;
    this.histogram.reset();
    const session = this.health.check('eventLoop');
    const data = { p99DelayMs: Math.round(p99 * 10) / 10 };
    return p99 > this.config.maxEventLoopDelayMs
      ? session.down({ ...data, message: `event loop p99 delay ${data.p99DelayMs} ms exceeds ${this.config.maxEventLoopDelayMs} ms` })
      : session.up(data);
  }

  onModuleDestroy(): void {
    this.histogram.disable();
  }
}

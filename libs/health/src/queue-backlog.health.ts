import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthConfig, QueueConfig } from '@app/config';
import { ModelRegistry } from '@app/models';
import { PredictQueues, predictQueueName } from '@app/queue';
import { withinRedisTimeout } from '@app/redis';
import { ReadinessCheck } from './readiness-check';

/**
 * The model queues' backlog: down when a queue holds queue.maxWaiting jobs or more (the jobs API refuses
 * new jobs for it then), so that an orchestrator stops sending work here until it drains. While Redis is
 * away the counts cannot be read: that is the redis check's to report, so this one stays up and says so.
 */
@Injectable()
export class QueueBacklogHealthIndicator implements ReadinessCheck {
  readonly neededToInfer = false;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly registry: ModelRegistry,
    private readonly queues: PredictQueues,
    private readonly config: QueueConfig,
    private readonly healthConfig: HealthConfig,
  ) {}

  async check() {
    const session = this.health.check('queueBacklog');
    const backlog: Record<string, number> = {};
    try {
      const reads = this.registry.names().map(async (model) => {
        const counts = await this.queues.counts(model);
        backlog[predictQueueName(model)] = counts.waiting + counts.delayed;
      });
      // A probe answers within the same bound as the redis check, however slow Redis is.
      await withinRedisTimeout(Promise.all(reads), this.healthConfig.redisTimeoutMs, 'queue counts');
    } catch (error) {
      return session.up({ message: `queue counts unavailable: ${(error as Error).message}` });
    }
    const full = Object.entries(backlog).filter(([, n]) => n >= this.config.maxWaiting);
    const data = { maxWaiting: this.config.maxWaiting, backlog };
    if (full.length > 0) {
      return session.down({ ...data, message: `backlog at or over queue.maxWaiting in ${full.map(([q, n]) => `${q} (${n})`).join(', ')}` });
    }
    return session.up(data);
  }
}

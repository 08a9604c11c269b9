import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { HealthConfig } from '@app/config';
import { pingWithin, REDIS } from '@app/redis';
import { ReadinessCheck } from './readiness-check';

/** PING on the app's own connection: the one its cache and control messages use. */
@Injectable()
export class RedisHealthIndicator implements ReadinessCheck {
  readonly neededToInfer = false;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: HealthConfig,
  ) {}

  async check() {
    const session = this.health.check('redis');
    try {
      await pingWithin(this.redis, this.config.redisTimeoutMs);
      return session.up();
    } catch (error) {
      return session.down({ message: `Redis does not answer: ${(error as Error).message}` });
    }
  }
}

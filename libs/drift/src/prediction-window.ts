import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DriftConfig, RedisConfig } from '@app/config';
import { REDIS, RedisClient } from '@app/redis';

const FLUSH_EVERY_MS = 1000;

/**
 * The last `drift.windowSize` predicted labels of each model, in Redis so that every replica adds to the
 * same window and the scheduler can read it. Labels are buffered and written once a second in one
 * pipeline per model (LPUSH + LTRIM), so the prediction path never waits on Redis; while Redis is away the buffer
 * is dropped, since a drift window may lose samples but must never hold requests up.
 */
@Injectable()
export class PredictionWindow implements OnApplicationShutdown {
  private readonly logger = new Logger('PredictionWindow');
  private readonly buffer = new Map<string, string[]>();
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly redisConfig: RedisConfig,
    private readonly config: DriftConfig,
  ) {}

  key(model: string): string {
    return `${this.redisConfig.keyPrefix}:drift:${model}:window`;
  }

  record(model: string, labels: readonly string[]): void {
    let list = this.buffer.get(model);
    if (!list) this.buffer.set(model, (list = []));
    for (const label of labels) list.push(label);
    // A burst larger than the window only needs its newest part.
    if (list.length > this.config.windowSize) list.splice(0, list.length - this.config.windowSize);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
      this.timer.unref();
    }
  }

  /** Newest first. */
  async read(model: string): Promise<string[]> {
    await this.flush();
    return this.redis.lrange(this.key(model), 0, this.config.windowSize - 1);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.size === 0) return;
    // One pipeline per model: on a Redis Cluster a pipeline must stay within one node, and each model's
    // window is one key (each pipeline still is one round trip).
    const pipelines = [...this.buffer].map(([model, labels]) =>
      this.redis.pipeline().lpush(this.key(model), ...labels).ltrim(this.key(model), 0, this.config.windowSize - 1),
    );
    this.buffer.clear();
    try {
      await Promise.all(pipelines.map((p) => p.exec()));
      if (this.failing) this.logger.log('recording live predictions again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`live predictions not recorded while Redis is away: ${(error as Error).message}`);
      this.failing = true;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}

import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { RedisConfig } from '@app/config';
import { appRedisOptions, createRedis, describeRedisUrl, RedisClient } from './redis-connection';

/** The app's own connection to Redis (not BullMQ's): health pings, cache, control messages. A RedisClient. */
export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private wasReady = false;
  private logged = false;

  constructor(@Inject(REDIS) private readonly redis: RedisClient, config: RedisConfig) {
    const where = describeRedisUrl(config.url);
    redis.on('ready', () => {
      this.logger.log(`${this.wasReady ? 'reconnected' : 'connected'} to Redis at ${where}`);
      this.wasReady = true;
    });
    redis.on('error', (error: Error) => {
      // ioredis emits an error per failed reconnect; one line per outage is enough.
      if (this.wasReady || !this.logged) this.logger.warn(`Redis at ${where}: ${error.message}`);
      this.logged = true;
      this.wasReady = false;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, useFactory: (config: RedisConfig) => createRedis(config.url, appRedisOptions()), inject: [RedisConfig] },
    RedisLifecycle,
  ],
  exports: [REDIS],
})
export class RedisModule {}

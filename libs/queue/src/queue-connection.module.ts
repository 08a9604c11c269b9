import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { RedisConfig } from '@app/config';
import { bullRedisOptions, queuePrefixOf, redisOptionsFromUrl } from '@app/redis';

/** BullMQ's shared connection settings, from the same REDIS_URL as everything else; keys under queuePrefixOf (redis.keyPrefix, hash-tagged on a Cluster). */
@Module({})
export class QueueConnectionModule {
  static forRoot(): DynamicModule {
    return {
      module: QueueConnectionModule,
      imports: [
        BullModule.forRootAsync({
          useFactory: (redis: RedisConfig) => ({
            connection: bullRedisOptions(redisOptionsFromUrl(redis.url)),
            prefix: queuePrefixOf(redis),
          }),
          inject: [RedisConfig],
        }),
      ],
      exports: [BullModule],
    };
  }
}

import { parseRedisUrl, RedisConfig } from '@app/config';

/**
 * The prefix of BullMQ's keys. BullMQ's scripts touch several keys of a queue at once, which a Redis
 * Cluster allows only within one hash slot, so on a Cluster the prefix is a hash tag (`{modelgate}`):
 * every queue's keys share one slot (one master holds the queues; the cache, drift windows and the rest
 * stay spread over the cluster by their own keys). Elsewhere it is redis.keyPrefix as it always was, so
 * existing queues keep their keys.
 */
export function queuePrefixOf(config: Pick<RedisConfig, 'url' | 'keyPrefix'>): string {
  return parseRedisUrl(config.url).topology === 'cluster' ? `{${config.keyPrefix}}` : config.keyPrefix;
}

export { RedisModule, REDIS } from './redis.module';
export { appRedisOptions, bullRedisOptions, createRedis, deleteKeysMatching, pingWithin, describeRedisUrl, redisOptionsFromUrl } from './redis-connection';

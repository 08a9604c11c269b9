export { RedisModule, REDIS } from './redis.module';
export { appRedisOptions, bullRedisOptions, createRedis, deleteKeysMatching, pingWithin, describeRedisUrl, redisOptionsFromUrl } from './redis-connection';
export type { RedisClient } from './redis-connection';
export { queuePrefixOf } from './queue-prefix';
export { ControlModule } from './control.module';
export { ControlChannel } from './control-channel';
export type { ControlMessage, ControlMessageType } from './control-message';
export { withinRedisTimeout, isConnectionError } from './redis-guard';

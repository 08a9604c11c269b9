export { HealthModule } from './health.module';
export type { HealthModuleOptions } from './health.module';
export { READINESS_CHECKS } from './readiness-check';
export type { ReadinessCheck } from './readiness-check';
export { RedisHealthIndicator } from './redis.health';
export { ModelsHealthIndicator } from './models.health';
export { EventLoopHealthIndicator } from './event-loop.health';
export { QueueBacklogHealthIndicator } from './queue-backlog.health';

export { AccessLogModule } from './access-log.module';
export { AccessLog } from './access-log';
export { createLogging, createNestLogger } from './logger.factory';
export type { CreateLoggerOptions, Logging } from './logger.factory';

export { RequestContext } from './request-context';
export type { RequestContextStore } from './request-context';
export { createWinstonLogger, createNestLogger } from './logger.factory';
export type { CreateLoggerOptions } from './logger.factory';

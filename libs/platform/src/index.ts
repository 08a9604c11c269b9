export { PlatformModule } from './platform.module';
export { startHttpApp, loadConfigOrExit, exitOnStartFailure } from './bootstrap';
export type { HttpAppSpec, StartOptions } from './bootstrap';
export { createHttpApp } from './http-app.factory';
export type { HttpAppOptions } from './http-app.factory';
export { AllErrorsFilter, sendError } from './all-errors.filter';
export { toErrorResponse } from './error-response';
export { STATUS_OF } from './error-status';
export type { ResponseObservation } from './request-hooks';

export { systemClock } from './clock';
export type { Clock } from './clock';
export { FakeClock, flushMicrotasks } from './fake-clock';
export { withTimeout } from './with-timeout';

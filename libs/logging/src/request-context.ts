import { AsyncLocalStorage } from 'async_hooks';

export interface RequestContextStore {
  requestId: string;
}

/**
 * The request id travels with the async work of a request, so every log line written while serving it
 * (controller, services, filters, the batcher's callbacks) carries it without passing it by hand.
 */
const storage = new AsyncLocalStorage<RequestContextStore>();

export const RequestContext = {
  run<T>(store: RequestContextStore, fn: () => T): T {
    return storage.run(store, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};

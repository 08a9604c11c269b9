import { DependencyUnavailableError, ModelgateError } from '@app/errors';
import { withTimeout } from '@app/time';

// The last line: a Cluster that is failing over or not yet discovered, and a Sentinel group with no
// sentinel or master in reach, are outages like a server that is down.
const CONNECTION_ERROR = new RegExp(
  [
    "Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|MaxRetriesPerRequest|enableOfflineQueue|LOADING|READONLY",
    "CLUSTERDOWN|TRYAGAIN|MASTERDOWN|Failed to refresh slots cache|None of startup nodes is available|Cluster isn't ready|All sentinels are unreachable",
  ].join('|'),
  'i',
);

export function isConnectionError(error: unknown): boolean {
  const e = error as { name?: string; message?: string; code?: string };
  return CONNECTION_ERROR.test(`${e?.name ?? ''} ${e?.code ?? ''} ${e?.message ?? ''}`);
}

/**
 * Bounds a Redis round trip of the jobs API. BullMQ waits for its connection to be ready before its first
 * command (however long Redis is away), so without a bound a request made while Redis is down would hang;
 * with it the client gets 503 + Retry-After in `timeoutMs` at most, and at once when the connection is
 * known to be down.
 */
export async function withinRedisTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  try {
    return await withTimeout(work, timeoutMs, () => new DependencyUnavailableError(`Redis did not answer within ${timeoutMs} ms (${what})`));
  } catch (error) {
    if (error instanceof ModelgateError) throw error;
    if (isConnectionError(error)) throw new DependencyUnavailableError(`Redis is unavailable (${what}): ${(error as Error).message}`);
    throw error;
  }
}

/** What BullMQ's Queue, QueueEvents and Worker have in common for closing. */
export interface Closable {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Closes a BullMQ object without the crash its close can cause. close() removes every listener of the
 * object's connection at once, but a connection still initialising (connect, then a version check)
 * reports its failure later, as an 'error' from an emitter with no listener left, which throws. Letting
 * the initialisation settle first, for `readyTimeoutMs` at most (Redis may be away), avoids that.
 */
export async function closeBull(target: Closable, readyTimeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, readyTimeoutMs)));
  await Promise.race([target.waitUntilReady().catch(() => undefined), waited]);
  clearTimeout(timer);
  await target.close().catch(() => undefined);
}

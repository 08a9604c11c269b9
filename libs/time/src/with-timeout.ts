/**
 * Rejects with `onTimeout()` when `work` has not settled within `ms`: the one timeout race of the code base
 * (Redis pings and commands, cache tiers, job attempts). A late rejection of the raced work is swallowed so
 * it never surfaces as an unhandled rejection.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

import { createRedis } from '@app/redis';

/** One PING with no retries: does anything answer at this URL (a server, a Sentinel group's master, a Cluster) right now? */
export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  let client: ReturnType<typeof createRedis>;
  try {
    client = createRedis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      sentinelRetryStrategy: () => null,
    });
  } catch {
    return false;
  }
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

import { ClusterOptions, RedisOptions } from 'ioredis';
import { RedisNodeAddress } from '@app/config';

/** Options that carry a Cluster's nodes through BullMQ to the factory in bull-cluster.ts. */
export interface ClusterConnectionOptions extends RedisOptions {
  cluster?: { nodes: RedisNodeAddress[] };
}

/**
 * ioredis's Cluster takes some options for itself (offline queue, reconnection, lazy connect) and the
 * rest for each node's connection; the same RedisOptions as a single connection are split accordingly.
 */
export function clusterOptions(options: RedisOptions): ClusterOptions {
  const { enableOfflineQueue, lazyConnect, retryStrategy, enableReadyCheck, host: _host, port: _port, ...node } = options;
  void _host;
  void _port;
  return {
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    ...(enableReadyCheck !== undefined ? { enableReadyCheck } : {}),
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
    // A node that fails over answers MOVED / CLUSTERDOWN for a moment: wait a little and retry.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    redisOptions: node,
  };
}

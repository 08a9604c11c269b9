import Redis, { Cluster } from 'ioredis';
import { createIORedisClient, RedisConnection } from 'bullmq';
import { ClusterConnectionOptions, clusterOptions } from './cluster-options';

/**
 * BullMQ builds every connection it owns from options, and builds only single-server (or Sentinel)
 * clients. Handing it a Cluster instance instead would make that instance "shared": BullMQ would never
 * close it, nor the copies it makes of it for workers and event listeners' blocking reads. So the
 * options of a Cluster URL carry the cluster's nodes (redisOptionsFromUrl), and this factory, BullMQ's
 * own extension point for the client it creates, builds a Cluster from them. BullMQ then owns and closes
 * it as it does any other connection. Every other connection is built exactly as BullMQ does by default.
 */
export function installBullClusterFactory(): void {
  if ((RedisConnection.clientFactory as { modelgate?: boolean } | undefined)?.modelgate) return;
  const previous = RedisConnection.clientFactory;
  const factory = (opts: ClusterConnectionOptions) => {
    if (opts.cluster) {
      const { cluster, ...rest } = opts;
      return createIORedisClient(new Cluster(cluster.nodes, clusterOptions(rest)));
    }
    if (previous) return previous(opts);
    const { url, ...rest } = opts as ClusterConnectionOptions & { url?: string };
    return createIORedisClient(url ? new Redis(url, rest) : new Redis(rest));
  };
  RedisConnection.clientFactory = Object.assign(factory, { modelgate: true });
}

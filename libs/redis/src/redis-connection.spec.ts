import { Cluster } from 'ioredis';
import { RedisConnection } from 'bullmq';
import { clusterOptions } from './cluster-options';
import { queuePrefixOf } from './queue-prefix';
import { createRedis, describeRedisUrl, redisOptionsFromUrl } from './redis-connection';

describe('connections from REDIS_URL', () => {
  it('gives BullMQ host, port, database and credentials for one server, as before', () => {
    expect(redisOptionsFromUrl('redis://:pw@10.0.0.5:6380/2')).toEqual({ host: '10.0.0.5', port: 6380, db: 2, password: 'pw' });
    expect(redisOptionsFromUrl('rediss://cache')).toEqual({ host: 'cache', port: 6379, db: 0, tls: {} });
  });

  it("gives BullMQ a Sentinel group's sentinels and master name, following the master on READONLY", () => {
    const options = redisOptionsFromUrl('redis+sentinel://:pw@s1,s2:26380?name=mymaster&sentinelPassword=spw');
    expect(options).toMatchObject({ sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }], name: 'mymaster', role: 'master', password: 'pw', sentinelPassword: 'spw' });
    const reconnect = options.reconnectOnError as (e: Error) => boolean | 1 | 2;
    expect(reconnect(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnect(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it("carries a Cluster's nodes to the client factory it installs in BullMQ", () => {
    const options = redisOptionsFromUrl('redis+cluster://n1:7000,n2:7001');
    expect(options.cluster).toEqual({ nodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }] });
    expect((RedisConnection.clientFactory as { modelgate?: boolean } | undefined)?.modelgate).toBe(true);
    const client = RedisConnection.clientFactory!({ ...options, lazyConnect: true } as never) as unknown as Cluster;
    expect(client.isCluster).toBe(true);
    client.disconnect();
  });

  it('splits single-connection options into what a Cluster takes itself and what each node connection takes', () => {
    const retry = (n: number) => n;
    const split = clusterOptions({ enableOfflineQueue: false, lazyConnect: true, retryStrategy: retry, maxRetriesPerRequest: null, connectTimeout: 2000, password: 'pw', host: 'x', port: 1 });
    expect(split).toMatchObject({ enableOfflineQueue: false, lazyConnect: true, redisOptions: { maxRetriesPerRequest: null, connectTimeout: 2000, password: 'pw' } });
    expect(split.clusterRetryStrategy!(3)).toBe(3);
    expect(split.redisOptions).not.toHaveProperty('host');
  });

  it('makes a Cluster client for a Cluster URL and a plain one otherwise (neither connects until asked)', () => {
    const cluster = createRedis('redis+cluster://127.0.0.1:1,127.0.0.1:2', { lazyConnect: true });
    const single = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
    expect(cluster).toBeInstanceOf(Cluster);
    expect(single).not.toBeInstanceOf(Cluster);
    cluster.disconnect();
    single.disconnect();
  });

  it("hash-tags BullMQ's prefix on a Cluster only, so a queue's keys share a slot there and keep their names elsewhere", () => {
    expect(queuePrefixOf({ url: 'redis+cluster://n1:7000', keyPrefix: 'modelgate' })).toBe('{modelgate}');
    expect(queuePrefixOf({ url: 'redis://127.0.0.1:6379', keyPrefix: 'modelgate' })).toBe('modelgate');
    expect(queuePrefixOf({ url: 'redis+sentinel://s1?name=m', keyPrefix: 'modelgate' })).toBe('modelgate');
  });

  it('describes where it connects without the password', () => {
    expect(describeRedisUrl('redis+sentinel://:secret@s1,s2?name=m')).toBe("s1:26379,s2:26379 (Sentinel, master 'm')");
    expect(describeRedisUrl('nonsense')).toBe('an unparsable URL');
  });
});

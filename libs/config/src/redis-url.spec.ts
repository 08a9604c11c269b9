import { describeRedisTarget, parseRedisUrl } from './redis-url';

describe('parseRedisUrl', () => {
  it('reads one server as before: host, port (6379 by default), database, credentials, TLS', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ topology: 'single', nodes: [{ host: '127.0.0.1', port: 6379 }], db: 0, tls: false });
    expect(parseRedisUrl('rediss://app:s%40cret@cache.internal/2')).toEqual({
      topology: 'single',
      nodes: [{ host: 'cache.internal', port: 6379 }],
      db: 2,
      tls: true,
      username: 'app',
      password: 's@cret',
    });
    expect(parseRedisUrl('redis://:only-a-password@[::1]:6380').password).toBe('only-a-password');
    expect(parseRedisUrl('redis://:only-a-password@[::1]:6380').nodes).toEqual([{ host: '::1', port: 6380 }]);
  });

  it('reads a Sentinel group: the sentinels (26379 by default), the master name, the data nodes\' and the sentinels\' credentials', () => {
    expect(parseRedisUrl('redis+sentinel://:pw@s1,s2:26380,s3/1?name=mymaster&sentinelPassword=spw')).toEqual({
      topology: 'sentinel',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: 's3', port: 26379 },
      ],
      db: 1,
      tls: false,
      password: 'pw',
      name: 'mymaster',
      sentinelPassword: 'spw',
    });
  });

  it('reads a Cluster: its seed nodes', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001')).toEqual({
      topology: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      db: 0,
      tls: false,
    });
    expect(parseRedisUrl('rediss+cluster://n1').tls).toBe(true);
  });

  it('refuses what it cannot connect to, saying why', () => {
    expect(() => parseRedisUrl('localhost:6379')).toThrow('must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL');
    expect(() => parseRedisUrl('redis://a:1,b:2')).toThrow('use redis+sentinel://… for a Sentinel group or redis+cluster://… for a Cluster');
    expect(() => parseRedisUrl('redis+sentinel://s1,s2')).toThrow('names no master group: add ?name=<master>');
    expect(() => parseRedisUrl('redis+sentinel://s1?name=m&master=x')).toThrow("unknown parameter 'master' (known: name, sentinelUsername, sentinelPassword)");
    expect(() => parseRedisUrl('redis+cluster://n1/3')).toThrow('a Redis Cluster has only database 0');
    expect(() => parseRedisUrl('redis+cluster://n1,,n2')).toThrow('empty host');
    expect(() => parseRedisUrl('redis://h:70000')).toThrow('port 70000');
    expect(() => parseRedisUrl('redis://h/db')).toThrow("database 'db'");
  });

  it('describes a target without its password', () => {
    expect(describeRedisTarget(parseRedisUrl('redis://:secret@10.0.0.5:6380/2'))).toBe('10.0.0.5:6380/2');
    expect(describeRedisTarget(parseRedisUrl('redis+sentinel://:secret@s1,s2?name=mymaster'))).toBe("s1:26379,s2:26379 (Sentinel, master 'mymaster')");
    expect(describeRedisTarget(parseRedisUrl('redis+cluster://[::1]:7000,n2:7001'))).toBe('[::1]:7000,n2:7001 (Cluster)');
  });
});

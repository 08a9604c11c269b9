/**
 * The three forms REDIS_URL takes:
 *
 *   redis://[user:password@]host[:port][/db]                                    one server
 *   redis+sentinel://[user:password@]s1[:port],s2[:port]…[/db]?name=<master>    a Sentinel group
 *   redis+cluster://[user:password@]n1[:port],n2[:port]…                        a Redis Cluster
 *
 * `rediss` in place of `redis` asks for TLS. Sentinel's port defaults to 26379, the others' to 6379. The
 * user and password are the data nodes' (Sentinel's own, when it has one, is `sentinelPassword` and
 * `sentinelUsername`). A cluster has only database 0. WHATWG URLs cannot hold a list of hosts, so the
 * list forms are parsed here; the single form is still handed to ioredis as the URL it always was.
 */
export type RedisTopology = 'single' | 'sentinel' | 'cluster';

export interface RedisNodeAddress {
  host: string;
  port: number;
}

export interface RedisTarget {
  topology: RedisTopology;
  /** single: the server; sentinel: the sentinels; cluster: the nodes to discover the cluster from. */
  nodes: RedisNodeAddress[];
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
  /** Sentinel: the name of the master group (sentinel.conf's `sentinel monitor <name> …`). */
  name?: string;
  sentinelUsername?: string;
  sentinelPassword?: string;
}

const SCHEMES: Record<string, { topology: RedisTopology; tls: boolean }> = {
  'redis:': { topology: 'single', tls: false },
  'rediss:': { topology: 'single', tls: true },
  'redis+sentinel:': { topology: 'sentinel', tls: false },
  'rediss+sentinel:': { topology: 'sentinel', tls: true },
  'redis+cluster:': { topology: 'cluster', tls: false },
  'rediss+cluster:': { topology: 'cluster', tls: true },
};

const PARAMETERS: Record<RedisTopology, string[]> = {
  single: [],
  sentinel: ['name', 'sentinelUsername', 'sentinelPassword'],
  cluster: [],
};

export const REDIS_URL_FORMS =
  'redis://host:port[/db], redis+sentinel://host:port,host:port[/db]?name=<master> or redis+cluster://host:port,host:port (rediss… for TLS)';

export class RedisUrlError extends Error {}

/** Throws RedisUrlError saying what is wrong (never repeating a password). */
export function parseRedisUrl(url: string): RedisTarget {
  const match = /^([a-z+]+:)\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/.exec(url.trim());
  const scheme = match && SCHEMES[match[1]];
  if (!match || !scheme) throw new RedisUrlError(`must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL: ${REDIS_URL_FORMS}`);
  const [, , authority, path = '', query = ''] = match;
  const at = authority.lastIndexOf('@');
  const credentials = at >= 0 ? authority.slice(0, at) : '';
  const hosts = at >= 0 ? authority.slice(at + 1) : authority;
  const target: RedisTarget = { topology: scheme.topology, nodes: [], db: 0, tls: scheme.tls };

  if (credentials) {
    const colon = credentials.indexOf(':');
    const user = decodeURIComponent(colon >= 0 ? credentials.slice(0, colon) : credentials);
    const password = colon >= 0 ? decodeURIComponent(credentials.slice(colon + 1)) : '';
    // redis://:secret@host is the classic password-only form (AUTH <password>).
    if (colon >= 0) {
      if (user) target.username = user;
      if (password) target.password = password;
    } else if (user) {
      target.username = user;
    }
  }

  const defaultPort = scheme.topology === 'sentinel' ? 26379 : 6379;
  const list = hosts.split(',').map((h) => h.trim());
  if (list.some((h) => h === '')) throw new RedisUrlError(`names an empty host; it must be ${REDIS_URL_FORMS}`);
  if (scheme.topology === 'single' && list.length > 1) {
    throw new RedisUrlError('names several hosts: use redis+sentinel://… for a Sentinel group or redis+cluster://… for a Cluster');
  }
  target.nodes = list.map((h) => parseHostPort(h, defaultPort));

  const dbText = path.replace(/^\//, '');
  if (dbText !== '') {
    if (!/^\d+$/.test(dbText) || Number(dbText) > 15) throw new RedisUrlError(`has database '${dbText}': it must be a number from 0 to 15`);
    if (scheme.topology === 'cluster' && Number(dbText) !== 0) throw new RedisUrlError('has a database number: a Redis Cluster has only database 0');
    target.db = Number(dbText);
  }

  const params = new URLSearchParams(query.replace(/^\?/, ''));
  for (const key of params.keys()) {
    if (scheme.topology === 'single') continue; // ioredis reads its own (family, …) from a single URL
    if (!PARAMETERS[scheme.topology].includes(key)) {
      const known = PARAMETERS[scheme.topology];
      throw new RedisUrlError(`has an unknown parameter '${key}'${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    }
  }
  if (scheme.topology === 'sentinel') {
    const name = params.get('name');
    if (!name) throw new RedisUrlError('names no master group: add ?name=<master> (the name in sentinel.conf\'s "sentinel monitor")');
    target.name = name;
    const sentinelUsername = params.get('sentinelUsername');
    const sentinelPassword = params.get('sentinelPassword');
    if (sentinelUsername) target.sentinelUsername = sentinelUsername;
    if (sentinelPassword) target.sentinelPassword = sentinelPassword;
  }
  return target;
}

function parseHostPort(text: string, defaultPort: number): RedisNodeAddress {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(text);
  if (!m) throw new RedisUrlError(`has a host '${text}' that is not host or host:port`);
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) throw new RedisUrlError(`has port ${m[2]}: it must be from 1 to 65535`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** Where the URL points, for messages: the topology and the hosts, never a password. */
export function describeRedisTarget(target: RedisTarget): string {
  const hosts = target.nodes.map((n) => `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`).join(',');
  const db = target.db ? `/${target.db}` : '';
  if (target.topology === 'sentinel') return `${hosts}${db} (Sentinel, master '${target.name}')`;
  if (target.topology === 'cluster') return `${hosts} (Cluster)`;
  return `${hosts}${db}`;
}

import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { freePort, redisAnswers, spawnProcess, Spawned, waitFor } from './processes';

/** `redis-cli -p <port> <args…>` on loopback: its output, or a thrown error with what it printed. */
export function redisCli(port: number, ...args: string[]): string {
  const out = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
  if (out.status !== 0) throw new Error(`redis-cli -p ${port} ${args.join(' ')}: ${out.stdout}${out.stderr}`);
  return out.stdout.trim();
}

/** Fields of an INFO-like "key:value" reply (CLUSTER INFO, INFO replication). */
export function infoFields(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(/\r?\n/)
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

/** A flat reply of alternating names and values (SENTINEL MASTER), as redis-cli prints it, one a line. */
export function pairs(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/);
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) out[lines[i]] = lines[i + 1];
  return out;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000, Redis's rule) is free and valid too. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10000 > 65535 || taken.has(port) || taken.has(port + 10000)) continue;
    if (await portIsFree(port + 10000)) {
      taken.add(port).add(port + 10000);
      return port;
    }
  }
}

async function startServer(port: number, dir: string, extra: string[]): Promise<Spawned> {
  mkdirSync(dir, { recursive: true });
  // noeviction, as BullMQ needs; nothing on disk but what a mode needs (a cluster's nodes.conf).
  const server = spawnProcess(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir, ...extra],
    {},
  );
  await waitFor(`redis-server on port ${port}`, async () => {
    if (server.child.exitCode !== null) throw new Error(`redis-server exited: ${server.stdout()}${server.stderr()}`);
    return redisAnswers(port);
  });
  return server;
}

export interface RedisClusterProcesses {
  ports: number[];
  /** REDIS_URL naming the first two masters only: the client discovers the third. */
  url: string;
  servers: Spawned[];
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `masters` masters (no replicas) on private loopback ports: Debian's
 * redis-server with cluster-enabled, joined by `redis-cli --cluster create`, as an operator builds one.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterProcesses> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-test-cluster-'));
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < masters; i++) ports.push(await freeClusterPort(taken));
  const servers = await Promise.all(
    ports.map((port) =>
      startServer(port, join(dir, String(port)), ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000']),
    ),
  );
  const stop = async () => {
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    await waitFor('every node to say cluster_state:ok', () => ports.every((p) => infoFields(redisCli(p, 'CLUSTER', 'INFO')).cluster_state === 'ok'), 20_000, 200);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, url: `redis+cluster://127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}`, servers, stop };
}

export interface SentinelGroup {
  name: string;
  /** Port of each data node (the first started as master, the others as its replicas). */
  dataPorts: number[];
  sentinelPorts: number[];
  url: string;
  /** The data node the sentinels name as master right now. */
  masterPort(): number;
  /** Kills a data node with SIGKILL, as a crash would. */
  kill(port: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Sentinel group on private loopback ports: a master, `replicas` replicas and three sentinels
 * (quorum 2), Debian's redis-server in its two modes. Failure detection is fast (1 s) so a failover fits
 * in a test.
 */
export async function startSentinelGroup(replicas = 2, name = 'mymaster'): Promise<SentinelGroup> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-test-sentinel-'));
  const dataPorts: number[] = [];
  for (let i = 0; i <= replicas; i++) dataPorts.push(await freePort());
  const servers: Spawned[] = [];
  const dataNodes = new Map<number, Spawned>();
  const stop = async () => {
    await Promise.all(servers.map((s) => s.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const startData = async (port: number, extra: string[]) => {
      const node = await startServer(port, join(dir, `data-${port}`), extra);
      dataNodes.set(port, node);
      servers.push(node);
    };
    await startData(dataPorts[0], []);
    for (const port of dataPorts.slice(1)) {
      await startData(port, ['--replicaof', '127.0.0.1', String(dataPorts[0])]);
      await waitFor(`the replica on ${port} to be in sync`, () => infoFields(redisCli(port, 'INFO', 'replication')).master_link_status === 'up', 20_000, 100);
    }
    const sentinelPorts = [await freePort(), await freePort(), await freePort()];
    for (const port of sentinelPorts) {
      const conf = join(dir, `sentinel-${port}.conf`);
      // Sentinel rewrites its own file (what it learns of the group), so each has one it may write.
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${dataPorts[0]} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 10000`,
          `sentinel parallel-syncs ${name} 1`,
          '',
        ].join('\n'),
      );
      const sentinel = spawnProcess('redis-server', [conf, '--sentinel'], {});
      servers.push(sentinel);
      await waitFor(`sentinel on port ${port}`, async () => {
        if (sentinel.child.exitCode !== null) throw new Error(`sentinel exited: ${sentinel.stdout()}${sentinel.stderr()}`);
        return redisAnswers(port);
      });
    }
    // A failover needs each sentinel to know the replicas and the other sentinels (they meet over hello messages).
    await waitFor(
      'every sentinel to know the replicas and the two other sentinels',
      () =>
        sentinelPorts.every((p) => {
          const master = pairs(redisCli(p, 'SENTINEL', 'MASTER', name));
          return Number(master['num-slaves']) >= replicas && Number(master['num-other-sentinels']) >= 2;
        }),
      30_000,
      200,
    );
    const masterPort = () => Number(redisCli(sentinelPorts[0], 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name).split('\n')[1]);
    return {
      name,
      dataPorts,
      sentinelPorts,
      url: `redis+sentinel://${sentinelPorts.map((p) => `127.0.0.1:${p}`).join(',')}?name=${name}`,
      masterPort,
      kill: (port) => dataNodes.get(port)!.kill(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

import { ChildProcess, spawn, spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { describeRedisTarget, parseRedisUrl } from '@app/config';
import { redisAnswers } from './redis-probe';

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '::1', '[::1]'];

export type RedisPlan =
  | { kind: 'external' }
  | { kind: 'embedded'; process: ChildProcess; port: number; stop: () => void }
  | { kind: 'missing'; message: string };

function onPath(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

/**
 * `npm start` must work on a machine with nothing else set up: when no Redis answers at REDIS_URL and it
 * points at this machine, start a private redis-server (keeping nothing on disk, `noeviction` as BullMQ
 * needs) that lives and dies with this process.
 */
export async function ensureRedis(url: string, embedded: boolean): Promise<RedisPlan> {
  if (await redisAnswers(url)) return { kind: 'external' };
  const target = parseRedisUrl(url);
  const { host, port } = target.nodes[0];
  if (target.topology !== 'single') {
    // A private server cannot stand in for a Sentinel group or a Cluster: those are the operator's.
    return { kind: 'missing', message: `No Redis answers at ${describeRedisTarget(target)}. Check that its nodes run and are reachable, or point REDIS_URL at another.` };
  }
  const local = LOCAL_HOSTS.includes(host) || LOCAL_HOSTS.includes(`[${host}]`);
  const advice =
    `No Redis answers at ${describeRedisTarget(target)}. Start one (apt-get install redis-server, then redis-server; ` +
    'or docker run -p 6379:6379 redis:7) or point REDIS_URL at one.';
  if (!embedded) return { kind: 'missing', message: `${advice} (redis.embedded is off)` };
  if (!local) return { kind: 'missing', message: `${advice} (a private Redis is only started for a local REDIS_URL)` };
  if (!onPath('redis-server')) return { kind: 'missing', message: `${advice} (no redis-server on PATH to start a private one)` };

  const dir = mkdtempSync(join(tmpdir(), 'modelgate-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--dir', dir],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) break;
    if (await redisAnswers(url, 500)) return { kind: 'embedded', process: child, port, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  return { kind: 'missing', message: `${advice} (a private redis-server was started on port ${port} but did not answer)` };
}

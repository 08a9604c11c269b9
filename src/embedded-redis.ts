import { ChildProcess, spawn, spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
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
  const u = new URL(url);
  const local = LOCAL_HOSTS.includes(u.hostname);
  const advice =
    `No Redis answers at ${u.hostname}:${u.port || 6379}. Start one (apt-get install redis-server, then redis-server; ` +
    'or docker run -p 6379:6379 redis:7) or point REDIS_URL at one.';
  if (!embedded) return { kind: 'missing', message: `${advice} (redis.embedded is off)` };
  if (!local) return { kind: 'missing', message: `${advice} (a private Redis is only started for a local REDIS_URL)` };
  if (!onPath('redis-server')) return { kind: 'missing', message: `${advice} (no redis-server on PATH to start a private one)` };

  const port = Number(u.port || 6379);
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

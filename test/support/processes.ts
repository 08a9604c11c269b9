import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { connect, createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from './test-config';

/** A port nothing listens on right now: the kernel picks it, we release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns something other than undefined/false, or fails naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Ends the process and everything it started (its process group), if it still runs. */
  kill(): Promise<void>;
}

const running = new Set<Spawned>();

/**
 * Starts a process in its own process group, so that `kill` (and `killAll`, for afterAll/afterEach) also
 * ends what it started, such as a private redis-server, even when a test failed half-way.
 */
export function spawnProcess(command: string, args: string[], env: Record<string, string>): Spawned {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  // 'close' comes once the output pipes are drained, so stdout()/stderr() are complete; but a grandchild
  // that inherited a pipe (a private redis-server left behind) holds it open, so 'exit' + 2 s also ends the wait.
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('exit', (code, signal) => setTimeout(() => resolve({ code, signal }), 2000).unref());
  });
  let done = false;
  void exited.then(() => (done = true));
  const spawned: Spawned = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: async () => {
      running.delete(spawned);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone already
      }
      if (!done) await exited;
    },
  };
  running.add(spawned);
  return spawned;
}

/** Kills every process (group) this test file spawned and has not killed yet. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((s) => s.kill()));
}

/** A TypeScript entry point run from source, as `npm run start:dev` does (no build needed). */
export function spawnTs(file: string, env: Record<string, string>): Spawned {
  return spawnProcess(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', file], env);
}

/** The environment every spawned app gets: its own key prefix in the shared Redis and its own log folder. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MODELGATE_REDIS_KEY_PREFIX: `mgtest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    LOG_DIR: mkdtempSync(join(tmpdir(), 'modelgate-logs-')),
    MODELGATE_MODELS_WATCH: 'false',
    MODELGATE_MODELS_POLL_INTERVAL_SECONDS: '0',
    MODELGATE_GRPC_PORT: '0',
    ...extra,
  };
}

/** A private redis-server on `port` that keeps nothing on disk. */
export async function startRedisServer(port: number): Promise<Spawned> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-test-redis-'));
  const redis = spawnProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {});
  await waitFor(`redis-server on port ${port}`, async () => {
    if (redis.child.exitCode !== null) throw new Error(`redis-server exited: ${redis.stdout()}${redis.stderr()}`);
    return redisAnswers(port);
  });
  const kill = redis.kill;
  redis.kill = async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };
  return redis;
}

/** Does a Redis answer PING on this local port right now? (one plain RESP round trip, no client library) */
export function redisAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

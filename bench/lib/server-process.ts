import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync } from 'fs';
import { AddressInfo, createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

export const ROOT = resolve(__dirname, '../..');

export interface ServerProcess {
  url: string;
  /** host:port of its KServe V2 gRPC listener. */
  grpcAddress: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/**
 * The built inference app (dist/) as its own process, as it runs in production: the load generator in
 * this process must not share the server's event loop.
 */
export async function startServer(entry: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort();
  const grpcPort = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, entry)], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      MODELGATE_GRPC_PORT: String(grpcPort),
      MODELGATE_SERVER_HOST: '127.0.0.1',
      LOG_DIR: mkdtempSync(join(tmpdir(), 'modelgate-bench-logs-')),
      MODELGATE_REDIS_KEY_PREFIX: `mgbench-${process.pid}-${port}`,
      MODELGATE_MODELS_WATCH: 'false',
      MODELGATE_MODELS_POLL_INTERVAL_SECONDS: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/health/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready in 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

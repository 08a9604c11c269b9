/**
 * The gRPC ceiling in Node: `node -r ts-node/register/transpile-only bench/lib/bare-grpc-server.ts <port>`
 * serves ModelInfer and ModelStreamInfer with @grpc/grpc-js on 127.0.0.1, decoding every request for
 * real (proto-loader, the options modelgate uses) and answering each with the same 10-float raw output,
 * encoded per answer as a server must (the id is echoed). No model, no batching, no validation: what
 * is left is the cost of grpc-js and protobufjs themselves, for the bench to put modelgate's gRPC
 * figures against. Port 0 takes a free one. Prints `bare-grpc-server listening on <address>` once it
 * accepts calls; startBareGrpcServer waits for that line (server-process.ts's startServer waits on an
 * HTTP /health/ready this server does not have).
 */
import { ChildProcess, spawn } from 'child_process';
import * as grpc from '@grpc/grpc-js';
import { join } from 'path';
import { CHANNEL_OPTIONS, grpcDefinition } from './grpc-load';
import { ROOT } from './server-process';

export const READY_LINE = /^bare-grpc-server listening on (\S+)$/m;

interface InferRequest {
  model_name: string;
  id: string;
}

const RAW_OUTPUT = Buffer.from(new Float32Array(Array.from({ length: 10 }, (_, i) => (i + 1) / 55)).buffer);

function answer(request: InferRequest) {
  return {
    model_name: request.model_name,
    model_version: '1',
    id: request.id,
    outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [1, 10] }],
    raw_output_contents: [RAW_OUTPUT],
  };
}

export function serveBare(port: number): Promise<{ server: grpc.Server; address: string }> {
  type Loaded = { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
  const { inference } = grpc.loadPackageDefinition(grpcDefinition()) as unknown as Loaded;
  const server = new grpc.Server(CHANNEL_OPTIONS);
  // The other RPCs are left out: grpc-js answers them UNIMPLEMENTED.
  server.addService(inference.GRPCInferenceService.service, {
    ModelInfer: (call: grpc.ServerUnaryCall<InferRequest, unknown>, callback: grpc.sendUnaryData<unknown>) =>
      callback(null, answer(call.request)),
    ModelStreamInfer: (call: grpc.ServerDuplexStream<InferRequest, unknown>) => {
      call.on('data', (request: InferRequest) => call.write({ infer_response: answer(request) }));
      call.on('end', () => call.end());
    },
  });
  return new Promise((done, fail) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, bound) =>
      e ? fail(e) : done({ server, address: `127.0.0.1:${bound}` }),
    ),
  );
}

export interface BareGrpcServer {
  address: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** This script as its own process, so that the load generator does not share the server's event loop. */
export async function startBareGrpcServer(): Promise<BareGrpcServer> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(ROOT, 'bench/lib/bare-grpc-server.ts'), '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const address = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`bare gRPC server not ready in 60 s: ${stderr}`)), 60_000);
    child.stdout!.on('data', (d) => {
      stdout += String(d);
      const ready = READY_LINE.exec(stdout);
      if (ready) {
        clearTimeout(timer);
        done(ready[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`bare gRPC server exited with ${code}: ${stderr}`));
    });
  });
  child.stdout!.resume();
  return {
    address,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`usage: bare-grpc-server.ts <port>, not ${process.argv[2]}`);
  void serveBare(port).then(({ server, address }) => {
    console.log(`bare-grpc-server listening on ${address}`);
    // Calls in flight get a second to finish; then the process goes regardless.
    const stop = () => {
      setTimeout(() => {
        server.forceShutdown();
        process.exit(0);
      }, 1000).unref();
      server.tryShutdown(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

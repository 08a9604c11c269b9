import { Client, credentials, loadPackageDefinition, Metadata, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { join } from 'path';
import { service as healthService } from 'grpc-health-check';
import { INFERENCE_PROTO, PROTO_LOADER_OPTIONS } from '@app/protocols';
import { GrpcServer } from '../../apps/inference/src/grpc/grpc-server.service';
import { RunningApp } from './test-app';

type Unary = (request: object, metadata: Metadata, options: { deadline?: number }, callback: (error: ServiceError | null, answer: any) => void) => void;
export type InferenceClient = Client & Record<string, Unary> & { ModelStreamInfer(metadata?: Metadata): any };

export interface GrpcOutcome {
  answer?: any;
  error?: ServiceError;
}

/** The gRPC address of a running app (its GrpcServer bound a random port in tests). */
export function grpcAddress(app: RunningApp): string {
  return `127.0.0.1:${app.app.get(GrpcServer).port}`;
}

/** A @grpc/grpc-js client of inference.GRPCInferenceService built from the project's .proto, as any grpc-js user would. */
export function inferenceClient(address: string): InferenceClient {
  const pkg = loadPackageDefinition(loadSync(INFERENCE_PROTO, PROTO_LOADER_OPTIONS)) as any;
  return new pkg.inference.GRPCInferenceService(address, credentials.createInsecure(), { 'grpc.max_send_message_length': -1, 'grpc.max_receive_message_length': -1 });
}

/** One unary call; the error is returned, not thrown, so tests can read its code and trailers. */
export function call(client: InferenceClient, method: string, request: object, metadata = new Metadata(), deadlineMs?: number): Promise<GrpcOutcome> {
  return new Promise((resolve) => {
    const options = deadlineMs === undefined ? {} : { deadline: Date.now() + deadlineMs };
    client[method](request, metadata, options, (error, answer) => resolve(error ? { error } : { answer }));
  });
}

/** Sends already-serialized ModelInferRequest bytes (a fixture of what another client put on the wire) and decodes the answer. */
export function rawInfer(client: InferenceClient, bytes: Buffer): Promise<GrpcOutcome> {
  const pkg = loadPackageDefinition(loadSync(INFERENCE_PROTO, PROTO_LOADER_OPTIONS)) as any;
  const { responseDeserialize } = pkg.inference.GRPCInferenceService.service.ModelInfer;
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/inference.GRPCInferenceService/ModelInfer',
      (b: Buffer) => b,
      (b: Buffer) => responseDeserialize(b),
      bytes,
      (error, answer) => resolve(error ? { error: error as ServiceError } : { answer }),
    );
  });
}

export function withKey(key: string, header: 'authorization' | 'x-api-key' = 'authorization'): Metadata {
  const metadata = new Metadata();
  metadata.set(header, header === 'authorization' ? `Bearer ${key}` : key);
  return metadata;
}

export function healthClient(address: string): any {
  const Health = (require('@grpc/grpc-js') as typeof import('@grpc/grpc-js')).makeClientConstructor(healthService as any, 'Health');
  return new Health(address, credentials.createInsecure());
}

/** grpc.reflection.v1 ServerReflection, loaded from @grpc/reflection's own .proto. */
export function reflectionClient(address: string): any {
  const dir = join(require.resolve('@grpc/reflection/package.json'), '../build/proto');
  const pkg = loadPackageDefinition(loadSync('grpc/reflection/v1/reflection.proto', { keepCase: true, includeDirs: [dir] })) as any;
  return new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
}

/** The tensors of a ModelInferResponse's raw_output_contents, by output name. */
export function rawOutputs(answer: any): Record<string, { datatype: string; shape: number[]; values: unknown[] }> {
  const out: Record<string, { datatype: string; shape: number[]; values: unknown[] }> = {};
  answer.outputs.forEach((o: any, i: number) => {
    out[o.name] = { datatype: o.datatype, shape: o.shape, values: decodeRaw(o.datatype, answer.raw_output_contents[i]) };
  });
  return out;
}

function decodeRaw(datatype: string, bytes: Buffer): unknown[] {
  // A fresh, aligned ArrayBuffer: a received Buffer may sit at any offset of a shared pool.
  const copy = Buffer.from(new Uint8Array(bytes).buffer);
  switch (datatype) {
    case 'FP32':
      return [...new Float32Array(copy.buffer)];
    case 'INT64':
      return [...new BigInt64Array(copy.buffer)].map(Number);
    case 'BYTES': {
      const strings: string[] = [];
      for (let at = 0; at < copy.length; ) {
        const n = copy.readUInt32LE(at);
        strings.push(copy.subarray(at + 4, at + 4 + n).toString('utf8'));
        at += 4 + n;
      }
      return strings;
    }
    default:
      throw new Error(`no decoder for ${datatype} in this test helper`);
  }
}

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { INFERENCE_SERVICE as SERVICE, inferenceProtoDefinition } from '@app/protocols';
import { LoadResult } from './http-load';

const INFER = `/${SERVICE}/ModelInfer`;
const STREAM = `/${SERVICE}/ModelStreamInfer`;
// What tritonclient.grpc sets on its channel: no message size limit in practice (INT32_MAX).
export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_send_message_length': 2 ** 31 - 1,
  'grpc.max_receive_message_length': 2 ** 31 - 1,
};
const CALL_TIMEOUT_MS = 30_000;

/** The project's own service definition, parsed as the server parses it. */
export const grpcDefinition = inferenceProtoDefinition;

/** A ModelInferRequest (proto-loader object form) as wire bytes, encoded once for a whole run. */
export function encodeInferRequest(request: Record<string, unknown>): Buffer {
  const method = (grpcDefinition()[SERVICE] as protoLoader.ServiceDefinition).ModelInfer;
  return method.requestSerialize(request);
}

const identity = (b: Buffer) => b;

function loopbackClient(address: string): grpc.Client {
  const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]):\d{1,5}$/;
  if (!loopback.test(address)) throw new Error(`load goes to loopback only, not ${address}`);
  return new grpc.Client(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

/** Connect before the clock starts: the first call would otherwise also measure the TCP and HTTP/2 setup. */
function connected(client: grpc.Client): Promise<void> {
  return new Promise((done, fail) => client.waitForReady(Date.now() + 10_000, (e) => (e ? fail(e) : done())));
}

class Tally {
  readonly latencies: number[] = [];
  nonOk = 0;
  errors = 0;
  timeouts = 0;

  /** UNAVAILABLE is the transport failing, DEADLINE_EXCEEDED a call past CALL_TIMEOUT_MS; any other code is the server's answer. */
  status(code: grpc.status): void {
    if (code === grpc.status.DEADLINE_EXCEEDED) this.timeouts++;
    else if (code === grpc.status.UNAVAILABLE) this.errors++;
    else this.nonOk++;
  }

  result(concurrency: number, seconds: number): LoadResult {
    const ms = this.latencies.sort((a, b) => a - b);
    const at = (q: number) => (ms.length ? Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] * 1000) / 1000 : 0);
    return {
      connections: concurrency,
      durationSeconds: seconds,
      requests: ms.length + this.nonOk + this.errors + this.timeouts,
      throughput: ms.length / seconds,
      p50Ms: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      non2xx: this.nonOk,
      errors: this.errors,
      timeouts: this.timeouts,
    };
  }
}

/**
 * Unary ModelInfer with `concurrency` calls in flight on one channel (one HTTP/2 connection, as one
 * tritonclient InferenceServerClient), for a bounded time. The request is sent as the same pre-encoded
 * bytes every time and answers are not decoded, so the figures are the server's, not this encoder's.
 * Fields as http-load's: non2xx counts calls that ended with a non-OK status other than UNAVAILABLE
 * (errors) and DEADLINE_EXCEEDED (timeouts). Calls started before the end are let finish and counted.
 * grpc-js spends about twice the bare server's CPU per unary call on the client side: where client and
 * server share few cores, the unary figure is this client's limit, not the server's.
 */
export async function driveGrpcUnary(
  address: string,
  request: Buffer | Record<string, unknown>,
  concurrency: number,
  seconds: number,
): Promise<LoadResult> {
  const bytes = Buffer.isBuffer(request) ? request : encodeInferRequest(request);
  const client = loopbackClient(address);
  try {
    await connected(client);
    const tally = new Tally();
    const end = Date.now() + seconds * 1000;
    const call = () =>
      new Promise<void>((done) => {
        const started = process.hrtime.bigint();
        client.makeUnaryRequest(INFER, identity, identity, bytes, new grpc.Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, (e) => {
          if (e) tally.status(e.code);
          else tally.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          done();
        });
      });
    const worker = async () => {
      while (Date.now() < end) await call();
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return tally.result(concurrency, seconds);
  } finally {
    client.close();
  }
}

/**
 * ModelStreamInfer: one bidirectional stream (tritonclient allows one per client) with `inFlight`
 * requests outstanding, a new one written as each answer arrives, for a bounded time. Answers are paired
 * with requests first in, first out: exact for a server that answers a stream in request order (the bare
 * server does); otherwise throughput stays exact and latencies are approximate.
 * An answer with error_message set counts in non2xx; a stream that fails ends the run, its outstanding
 * requests counted by the stream's status as a unary call's would be.
 */
export async function driveGrpcStream(
  address: string,
  request: Buffer | Record<string, unknown>,
  inFlight: number,
  seconds: number,
): Promise<LoadResult> {
  const bytes = Buffer.isBuffer(request) ? request : encodeInferRequest(request);
  const client = loopbackClient(address);
  try {
    await connected(client);
    const tally = new Tally();
    const end = Date.now() + seconds * 1000;
    const sent: bigint[] = [];
    let head = 0;
    await new Promise<void>((done) => {
      const stream = client.makeBidiStreamRequest(STREAM, identity, identity, new grpc.Metadata(), { deadline: end + CALL_TIMEOUT_MS });
      const send = () => {
        sent.push(process.hrtime.bigint());
        stream.write(bytes);
      };
      stream.on('data', (answer: Buffer) => {
        const started = sent[head++];
        // error_message is field 1 (tag 0x0a), written first when set: a non-zero length there is a failed request.
        if (answer.length > 1 && answer[0] === 0x0a && answer[1] !== 0) tally.nonOk++;
        else tally.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (head > 4096) {
          sent.splice(0, head);
          head = 0;
        }
        if (Date.now() < end) send();
        else if (head === sent.length) stream.end();
      });
      stream.on('error', (e: grpc.ServiceError) => {
        for (let i = head; i < sent.length; i++) tally.status(e.code);
        head = sent.length;
      });
      // 'status' comes last, after every 'data', on success and on failure alike.
      stream.on('status', () => done());
      for (let i = 0; i < inFlight; i++) send();
    });
    return tally.result(inFlight, seconds);
  } finally {
    client.close();
  }
}

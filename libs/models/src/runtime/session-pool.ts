import { existsSync } from 'fs';
import { join } from 'path';
import { Worker } from 'worker_threads';
import { InstanceFailedError, InternalError, ModelLoadError, ModelNotReadyError } from '@app/errors';
import { HostTensor, TensorMap, fromOrtType, toOrtType } from '../tensor';
import type { InstancePool, InstancesMetadata, InstancesOptions } from './model-runtime';
import type { RunMessage, SessionWorkerData, WorkerReply, WorkerTensor } from './worker-protocol';

interface Job {
  message: RunMessage;
  transfer: ArrayBuffer[];
  resolve: (outputs: TensorMap) => void;
  reject: (error: Error) => void;
}

interface Instance {
  worker: Worker;
  job?: Job;
}

/** From source (ts-node, jest) the worker is a .ts file and needs a TypeScript loader; built, it is plain JS. */
function workerEntry(): { file: string; execArgv: string[] } {
  const js = join(__dirname, 'session-worker.js');
  if (existsSync(js)) return { file: js, execArgv: [] };
  return { file: join(__dirname, 'session-worker.ts'), execArgv: ['--require', 'ts-node/register/transpile-only'] };
}

/**
 * `instances` worker threads, each with its own InferenceSession of the same model file. A run goes to an
 * idle instance or waits in FIFO order; the batcher above keeps at most `instances` batches in flight, so
 * the wait is short. Tensors cross threads as transferred ArrayBuffers, not copies.
 */
export class SessionPool implements InstancePool {
  private readonly idle: Instance[] = [];
  private readonly all = new Set<Instance>();
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closing = false;
  private drained?: () => void;

  private constructor(
    private readonly options: InstancesOptions,
    readonly metadata: InstancesMetadata,
  ) {}

  static async start(options: InstancesOptions): Promise<SessionPool> {
    const started = await Promise.allSettled(Array.from({ length: options.instances }, () => spawn(options)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.worker.terminate() : undefined)));
      throw failed.reason;
    }
    const spawned = started.map((s) => (s as PromiseFulfilledResult<Spawned>).value);
    const pool = new SessionPool(options, spawned[0].metadata);
    for (const { worker } of spawned) pool.adopt(worker);
    return pool;
  }

  get instances(): number {
    return this.all.size;
  }

  get busy(): number {
    return this.all.size - this.idle.length;
  }

  run(feeds: TensorMap, fetches?: string[]): Promise<TensorMap> {
    if (this.closing) return Promise.reject(new ModelNotReadyError('model version is unloading'));
    const transfer: ArrayBuffer[] = [];
    const wireFeeds: Record<string, WorkerTensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) wireFeeds[name] = toWire(tensor, transfer);
    return new Promise<TensorMap>((resolve, reject) => {
      const job: Job = { message: { kind: 'run', id: this.nextId++, feeds: wireFeeds, fetches }, transfer, resolve, reject };
      const instance = this.idle.pop();
      if (instance) this.dispatch(instance, job);
      else this.waiting.push(job);
    });
  }

  /** Stops taking runs, lets the ones in flight finish, then ends the threads. */
  async close(): Promise<void> {
    this.closing = true;
    for (const job of this.waiting.splice(0)) job.reject(new ModelNotReadyError('model version is unloading'));
    if (this.busy > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await Promise.all([...this.all].map((i) => i.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private adopt(worker: Worker): void {
    const instance: Instance = { worker };
    this.all.add(instance);
    worker.on('message', (reply: WorkerReply) => this.onReply(instance, reply));
    worker.on('error', (error) => this.onExit(instance, `instance failed: ${error.message}`));
    worker.on('exit', (code) => this.onExit(instance, `instance exited with code ${code}`));
    this.release(instance);
  }

  private dispatch(instance: Instance, job: Job): void {
    instance.job = job;
    instance.worker.postMessage(job.message, job.transfer);
  }

  private release(instance: Instance): void {
    const next = this.waiting.shift();
    if (next) return this.dispatch(instance, next);
    this.idle.push(instance);
    if (this.closing && this.busy === 0) this.drained?.();
  }

  private onReply(instance: Instance, reply: WorkerReply): void {
    const job = instance.job;
    if (!job || (reply.kind !== 'result' && reply.kind !== 'error') || reply.id !== job.message.id) return;
    instance.job = undefined;
    if (reply.kind === 'result') {
      try {
        job.resolve(fromWire(reply.outputs));
      } catch (error) {
        job.reject(error as Error);
      }
    } else {
      job.reject(new InternalError(`inference failed: ${reply.message}`));
    }
    this.release(instance);
  }

  private onExit(instance: Instance, message: string): void {
    if (!this.all.delete(instance)) return;
    const at = this.idle.indexOf(instance);
    if (at >= 0) this.idle.splice(at, 1);
    instance.job?.reject(new InstanceFailedError(message));
    instance.job = undefined;
    if (this.closing) {
      if (this.busy === 0) this.drained?.();
      return;
    }
    this.options.onInstanceEvent?.({ kind: 'crashed', message });
    spawn(this.options).then(
      ({ worker }) => {
        if (this.closing) return void worker.terminate();
        this.adopt(worker);
        this.options.onInstanceEvent?.({ kind: 'replaced', message: 'a new instance took its place' });
      },
      (error: Error) => this.options.onInstanceEvent?.({ kind: 'replace-failed', message: error.message }),
    );
  }
}

interface Spawned {
  worker: Worker;
  metadata: InstancesMetadata;
}

function spawn(options: SessionWorkerData): Promise<Spawned> {
  const { file, execArgv } = workerEntry();
  const data: SessionWorkerData = {
    modelPath: options.modelPath,
    threads: options.threads,
    executionProvider: options.executionProvider,
    fallback: options.fallback,
  };
  const worker = new Worker(file, { workerData: data, execArgv });
  return new Promise<Spawned>((resolve, reject) => {
    // Only our own listeners may be removed: Worker keeps internal ones that start its message port.
    const detach = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const fail = (message: string) => {
      detach();
      void worker.terminate();
      reject(new ModelLoadError(message));
    };
    const onMessage = (reply: WorkerReply) => {
      if (reply.kind === 'ready') {
        detach();
        resolve({ worker, metadata: { inputs: reply.inputs, outputs: reply.outputs, provider: reply.provider, warning: reply.warning } });
      } else if (reply.kind === 'load-error') {
        fail(reply.message);
      } else {
        fail(`unexpected message from a starting instance: ${reply.kind}`);
      }
    };
    const onError = (error: Error) => fail(error.message);
    const onExit = (code: number) => fail(`instance exited with code ${code} while loading`);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

function toWire(tensor: HostTensor, transfer: ArrayBuffer[]): WorkerTensor {
  const { data } = tensor;
  if (Array.isArray(data)) return { type: toOrtType(tensor.datatype), dims: tensor.dims, data };
  // Only a buffer the view covers exactly can be handed over; anything else is copied first.
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  const view = whole ? data : data.slice();
  transfer.push(view.buffer as ArrayBuffer);
  return { type: toOrtType(tensor.datatype), dims: tensor.dims, data: view };
}

function fromWire(outputs: Record<string, WorkerTensor>): TensorMap {
  const map: TensorMap = {};
  for (const [name, t] of Object.entries(outputs)) {
    const datatype = fromOrtType(t.type);
    if (!datatype) throw new InternalError(`output '${name}' has type ${t.type}, which modelgate cannot return`);
    map[name] = { datatype, dims: t.dims, data: t.data as HostTensor['data'] };
  }
  return map;
}

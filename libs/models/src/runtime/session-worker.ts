/**
 * One inference instance: a worker thread owning one InferenceSession. onnxruntime-node's `run` computes
 * on the calling thread, so keeping sessions here is what keeps the HTTP event loop free.
 */
import { parentPort, workerData } from 'worker_threads';
import * as ort from 'onnxruntime-node';
import type { RunMessage, SessionWorkerData, ValueInfo, WorkerReply, WorkerTensor } from './worker-protocol';

const config = workerData as SessionWorkerData;
const port = parentPort!;
const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

function describe(list: readonly ort.InferenceSession.ValueMetadata[]): ValueInfo[] {
  return list.map((m) => (m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: '', shape: [] }));
}

function cudaAvailable(): boolean {
  return ort.listSupportedBackends().some((b) => b.name === 'cuda' && b.bundled !== false);
}

async function open(): Promise<{ session: ort.InferenceSession; provider: string; warning?: string }> {
  const options = (provider: string): ort.InferenceSession.SessionOptions => ({
    executionProviders: [provider],
    intraOpNumThreads: config.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  if (config.executionProvider === 'cuda') {
    try {
      if (!cudaAvailable()) throw new Error('onnxruntime-node has no CUDA libraries on this machine');
      return { session: await ort.InferenceSession.create(config.modelPath, options('cuda')), provider: 'cuda' };
    } catch (error) {
      const reason = `CUDA execution provider is not available: ${(error as Error).message}`;
      if (config.fallback !== 'cpu') throw new Error(`${reason} (set "fallback": "cpu" in model.json to run on CPU instead)`);
      const session = await ort.InferenceSession.create(config.modelPath, options('cpu'));
      return { session, provider: 'cpu', warning: `${reason}; falling back to CPU as model.json allows` };
    }
  }
  return { session: await ort.InferenceSession.create(config.modelPath, options('cpu')), provider: 'cpu' };
}

function toWorkerTensor(tensor: ort.Tensor, transfer: ArrayBuffer[]): WorkerTensor {
  let data = tensor.data as ArrayBufferView | string[];
  if (!Array.isArray(data)) {
    // Output buffers may be views into memory onnxruntime owns; copy into a buffer we can hand over.
    const view = data as Uint8Array;
    const copy = new (view.constructor as { new (b: ArrayBuffer): ArrayBufferView })(
      view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer,
    );
    transfer.push(copy.buffer as ArrayBuffer);
    data = copy;
  }
  return { type: tensor.type, dims: [...tensor.dims], data };
}

async function main(): Promise<void> {
  let session: ort.InferenceSession;
  try {
    const opened = await open();
    session = opened.session;
    reply({
      kind: 'ready',
      inputs: describe(session.inputMetadata),
      outputs: describe(session.outputMetadata),
      provider: opened.provider,
      warning: opened.warning,
    });
  } catch (error) {
    reply({ kind: 'load-error', message: (error as Error).message ?? String(error) });
    return;
  }

  port.on('message', async (message: RunMessage) => {
    try {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(message.feeds)) {
        feeds[name] = new ort.Tensor(t.type as any, t.data as any, t.dims);
      }
      const results = message.fetches ? await session.run(feeds, message.fetches) : await session.run(feeds);
      const transfer: ArrayBuffer[] = [];
      const outputs: Record<string, WorkerTensor> = {};
      for (const [name, tensor] of Object.entries(results)) outputs[name] = toWorkerTensor(tensor, transfer);
      reply({ kind: 'result', id: message.id, outputs }, transfer);
    } catch (error) {
      reply({ kind: 'error', id: message.id, message: (error as Error).message ?? String(error) });
    }
  });
}

void main();

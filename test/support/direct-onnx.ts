import { Worker } from 'worker_threads';

/**
 * Runs a model file with onnxruntime directly, outside the server, to compare answers against. It runs in
 * a worker thread because onnxruntime-node's typed-array checks fail inside Jest's sandbox realm.
 */
export function runOnnxDirect(modelPath: string, feeds: Record<string, { data: number[]; dims: number[] }>): Promise<Record<string, number[]>> {
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const ort = require(${JSON.stringify(require.resolve('onnxruntime-node'))});
    (async () => {
      const session = await ort.InferenceSession.create(workerData.modelPath);
      const feeds = {};
      for (const [name, t] of Object.entries(workerData.feeds)) feeds[name] = new ort.Tensor('float32', Float32Array.from(t.data), t.dims);
      const out = await session.run(feeds);
      const result = {};
      for (const [name, t] of Object.entries(out)) result[name] = Array.from(t.data);
      parentPort.postMessage(result);
    })().catch((e) => parentPort.postMessage({ error: String(e) }));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { modelPath, feeds } });
    worker.once('message', (m) => {
      void worker.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    worker.once('error', reject);
  });
}

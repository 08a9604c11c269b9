import { Worker } from 'worker_threads';

export interface RawPoint {
  batchSize: number;
  rowsPerSecond: number;
}

/**
 * session.run in a worker thread with nothing around it: the ceiling any server setting can approach.
 * Same session options as a server instance (intra-op threads, sequential execution).
 */
export function measureRawLimit(modelPath: string, inputName: string, width: number, batchSizes: number[], threads: number, seconds = 2): Promise<RawPoint[]> {
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const ort = require(${JSON.stringify(require.resolve('onnxruntime-node'))});
    (async () => {
      const { modelPath, inputName, width, batchSizes, threads, seconds } = workerData;
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
      });
      const points = [];
      for (const batch of batchSizes) {
        const data = new Float32Array(batch * width);
        for (let i = 0; i < data.length; i++) data[i] = (i % 97) / 97;
        const feeds = { [inputName]: new ort.Tensor('float32', data, [batch, width]) };
        for (let i = 0; i < 3; i++) await session.run(feeds);
        let rows = 0;
        const start = process.hrtime.bigint();
        const end = start + BigInt(Math.round(seconds * 1e9));
        while (process.hrtime.bigint() < end) { await session.run(feeds); rows += batch; }
        const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
        points.push({ batchSize: batch, rowsPerSecond: rows / elapsed });
      }
      parentPort.postMessage(points);
    })().catch((e) => parentPort.postMessage({ error: String(e) }));
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { modelPath, inputName, width, batchSizes, threads, seconds } });
    worker.once('message', (m) => {
      void worker.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m as RawPoint[]);
    });
    worker.once('error', reject);
  });
}

import { ServerConfig } from '@app/config';
import { DataPlane, InferRequest, InferResult } from '@app/dataplane';
import { ModelVersion } from '@app/models';
import { V2Adapter } from './v2-adapter';

const SERVER_TIMEOUT_MS = 30_000;

/** A labelled iris-like version: only what the V2 path reads of it. */
function servable(labels?: string[]): ModelVersion {
  return {
    name: 'iris',
    version: 2,
    signature: { inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }], outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }] },
    config: labels ? { postprocess: { type: 'classification', output: 'probabilities', labels } } : {},
    labels,
  } as unknown as ModelVersion;
}

function harness(version: ModelVersion, extra: Partial<InferResult> = {}) {
  const calls: InferRequest[] = [];
  const dataplane = {
    model: () => version,
    infer: async (request: InferRequest): Promise<InferResult> => {
      calls.push(request);
      const { rows } = request;
      const outputs = { probabilities: { datatype: 'FP32' as const, dims: [rows, 3], data: new Float32Array(rows * 3).fill(0.5) } };
      const classifications = version.labels ? Array.from({ length: rows }, () => ({ label: 'setosa', score: 0.5, probabilities: {} })) : undefined;
      return { request, outputs, classifications, ...extra };
    },
  } as unknown as DataPlane;
  const predictor = new V2Adapter(dataplane, { requestTimeoutMs: SERVER_TIMEOUT_MS } as ServerConfig);
  return { predictor, calls };
}

const body = (extra: Record<string, unknown> = {}) => ({
  inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6, 7, 8] }],
  ...extra,
});

describe('V2Adapter', () => {
  it('predicts the decoded rows and answers every output plus the top label of each row', async () => {
    const { predictor, calls } = harness(servable(['setosa', 'versicolor', 'virginica']));
    const answer = await predictor.infer('iris', undefined, body({ id: '7' }));
    expect(calls[0].rows).toBe(2);
    expect(calls[0].timeoutMs).toBeUndefined();
    expect(answer.body.model_name).toBe('iris');
    expect(answer.body.model_version).toBe('2');
    expect(answer.body.id).toBe('7');
    expect(answer.body.outputs.map((o) => o.name)).toEqual(['probabilities', 'label']);
    expect(answer.body.outputs[1]).toEqual({ name: 'label', datatype: 'BYTES', shape: [2], data: ['setosa', 'setosa'] });
  });

  it('answers no label output for a model without labels, and refuses to be asked for one', async () => {
    const { predictor } = harness(servable());
    const answer = await predictor.infer('iris', 2, body());
    expect(answer.body.outputs.map((o) => o.name)).toEqual(['probabilities']);
    await expect(predictor.infer('iris', 2, body({ outputs: [{ name: 'label' }] }))).rejects.toThrow("unknown output 'label' (the model gives 'probabilities')");
  });

  it('passes parameters.timeout as the deadline, never longer than the server deadline', async () => {
    const { predictor, calls } = harness(servable(['a', 'b', 'c']));
    await predictor.infer('iris', undefined, body({ parameters: { timeout: 1500 } }));
    await predictor.infer('iris', undefined, body({ parameters: { timeout: 3_600_000_000 } }));
    expect(calls.map((c) => c.timeoutMs)).toEqual([1.5, SERVER_TIMEOUT_MS]);
  });

  it('reports how the prediction cache served the request when the prediction path says so', async () => {
    const { predictor } = harness(servable(['a', 'b', 'c']), { cache: 'hit' });
    expect((await predictor.infer('iris', undefined, body())).cache).toBe('hit');
    expect((await harness(servable(['a', 'b', 'c'])).predictor.infer('iris', undefined, body())).cache).toBeUndefined();
  });
});

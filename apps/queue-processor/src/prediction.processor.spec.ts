import { Job, UnrecoverableError } from 'bullmq';
import { InstanceFailedError, InvalidInputError, ModelNotFoundError } from '@app/errors';
import { TfServingAdapter } from '@app/protocols';
import { PredictJobData, PredictJobResult, toBullPriority } from '@app/queue';
import { PredictionProcessor } from './prediction.processor';

function job(data: Partial<PredictJobData> = {}, priority = 10): Job<PredictJobData, PredictJobResult> {
  return { data: { model: 'iris', body: { instances: [[1, 2, 3, 4]] }, ...data }, opts: { priority: toBullPriority(priority) } } as Job<PredictJobData, PredictJobResult>;
}

function processorWith(predict: TfServingAdapter['predict']) {
  const predictor = { predict: jest.fn(predict) };
  return { predictor, processor: new PredictionProcessor(predictor as unknown as TfServingAdapter) };
}

describe('PredictionProcessor', () => {
  it('runs the job through the predictor (the shared batcher) with its version, priority and timeout, and returns what :predict answers', async () => {
    const { predictor, processor } = processorWith(async () => ({ model: 'iris', version: 2, body: { predictions: [{ label: 'setosa' }] } }));
    const result = await processor.process(job({ version: 2, timeoutMs: 1000 }, 10));
    expect(result).toEqual({ model: 'iris', version: 2, body: { predictions: [{ label: 'setosa' }] } });
    expect(predictor.predict).toHaveBeenCalledWith('iris', 2, { instances: [[1, 2, 3, 4]] }, { protocol: 'job', priority: 10, timeoutMs: 1000 });
  });

  it('fails bad input and unknown models at once with an UnrecoverableError (no retry can help), keeping the code', async () => {
    const bad = processorWith(async () => {
      throw new InvalidInputError('instances[0]: wrong shape');
    });
    await expect(bad.processor.process(job())).rejects.toEqual(new UnrecoverableError('INVALID_INPUT: instances[0]: wrong shape'));
    const gone = processorWith(async () => {
      throw new ModelNotFoundError('iris', 9);
    });
    await expect(gone.processor.process(job())).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('fails a transient fault as a plain error, which BullMQ retries with backoff', async () => {
    const { processor } = processorWith(async () => {
      throw new InstanceFailedError('instance exited');
    });
    const error = await processor.process(job()).catch((e: Error) => e);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe('INSTANCE_FAILED: instance exited');
  });

  it('fails the attempt when the prediction outlasts the job timeout (BullMQ has none of its own)', async () => {
    const { processor } = processorWith(() => new Promise(() => undefined));
    const error = await processor.process(job({ timeoutMs: 30 })).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^DEADLINE_EXCEEDED: .*30 ms/);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
  });
});

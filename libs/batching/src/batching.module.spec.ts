import { Test } from '@nestjs/testing';
import { BatcherFactory } from './batcher.factory';
import { BatchingModule } from './batching.module';
import { DEFAULT_BATCHING_SETTINGS } from './batching-settings';

describe('BatchingModule', () => {
  it('provides a BatcherFactory whose batchers run requests through the given executor', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [BatchingModule] }).compile();
    const factory = moduleRef.get(BatcherFactory);
    const batcher = factory.create<number, number>('double:1', DEFAULT_BATCHING_SETTINGS, async (inputs) =>
      inputs.map((x) => x * 2),
    );
    await expect(Promise.all([1, 2, 3].map((input) => batcher.submit({ rows: 1, input })))).resolves.toEqual([2, 4, 6]);
    await batcher.close();
  });

  it('refuses invalid settings when a batcher is created', () => {
    const factory = new BatcherFactory();
    expect(() =>
      factory.create('m:1', { ...DEFAULT_BATCHING_SETTINGS, maxInFlight: 0 }, async () => []),
    ).toThrow('batching.maxInFlight must be an integer >= 1, got 0');
  });
});

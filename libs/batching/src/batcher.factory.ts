import { Injectable } from '@nestjs/common';
import { BatchExecutor, BatchObserver } from './batch-types';
import { BatchingSettings } from './batching-settings';
import { DynamicBatcher } from './dynamic-batcher';

/** The Nest-facing way to get a batcher, so services receive a provider instead of `new`-ing one. */
@Injectable()
export class BatcherFactory {
  create<TIn, TOut>(
    name: string,
    settings: BatchingSettings,
    executor: BatchExecutor<TIn, TOut>,
    observer?: BatchObserver,
  ): DynamicBatcher<TIn, TOut> {
    return new DynamicBatcher(settings, executor, { name, observer });
  }
}

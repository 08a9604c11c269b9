import { Injectable } from '@nestjs/common';
import { PredictionWindow } from '@app/drift';
import type { InferResult } from './infer-request';

/**
 * Sees every answered request after the fact (drift, and later statistics); an observer never delays or
 * fails the answer, so it must not throw or wait.
 */
export interface InferObserver {
  observe(result: InferResult): void;
}

export const INFER_OBSERVERS = Symbol('INFER_OBSERVERS');

/** Feeds the predicted labels of classification models to the drift window. */
@Injectable()
export class DriftObserver implements InferObserver {
  constructor(private readonly window: PredictionWindow) {}

  observe(result: InferResult): void {
    if (result.classifications) this.window.record(result.request.servable.name, result.classifications.map((c) => c.label));
  }
}

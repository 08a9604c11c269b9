import { Injectable } from '@nestjs/common';
import { PredictionWindow } from '@app/drift';
import type { InferRequest, InferResult } from './infer-request';

/** Where one request's time went, in nanoseconds. */
export interface InferTiming {
  totalNs: number;
  /** Preprocessing (on the rows the cache did not answer). */
  inputNs: number;
  /** Classification and the other postprocessing after the run. */
  outputNs: number;
}

/**
 * Sees every request after the fact (drift, statistics); an observer never delays or fails the answer,
 * so it must not throw or wait.
 */
export interface InferObserver {
  observe(result: InferResult, timing: InferTiming): void;
  fail?(request: InferRequest, error: unknown, timing: InferTiming): void;
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

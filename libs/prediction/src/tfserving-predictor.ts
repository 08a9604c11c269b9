import { Injectable } from '@nestjs/common';
import type { CacheOutcome } from '@app/caching';
import { InvalidInputError } from '@app/errors';
import { decodeTfServingRequest, ModelVersion, rowToJson, tensorToJson } from '@app/models';
import { Prediction, PredictionService, PredictOptions } from './prediction.service';

export interface TfServingAnswer {
  /** `{"predictions": [...]}` or `{"outputs": ...}`, as TF Serving answers. */
  body: Record<string, unknown>;
  model: string;
  version: number;
  /** How the prediction cache answered (X-Cache); absent when the model's cache is off. */
  cache?: CacheOutcome;
}

/** modelgate's extension fields in a :predict body; TF Serving clients never send them. */
const EXTRA_FIELDS = ['top_k'];

/** TF Serving's REST :predict on top of the prediction path: decode the body, predict, encode the answer. */
@Injectable()
export class TfServingPredictor {
  constructor(private readonly predictions: PredictionService) {}

  async predict(name: string, version: number | undefined, body: unknown, options: PredictOptions = {}): Promise<TfServingAnswer> {
    const servable = this.predictions.resolve(name, version);
    const decoded = decodeTfServingRequest(body, servable.signature.inputs, EXTRA_FIELDS);
    const topK = topKOf(body as Record<string, unknown>);
    const prediction = await this.predictions.predict(servable, decoded.tensors, decoded.rows, { ...options, topK: topK ?? options.topK });
    return { body: encode(prediction, decoded.format), model: servable.name, version: servable.version, cache: prediction.cache };
  }

  /** Checks a body against the model's signature without running it (the jobs API, at submit time). */
  check(name: string, version: number | undefined, body: unknown): ModelVersion {
    const servable = this.predictions.resolve(name, version);
    decodeTfServingRequest(body, servable.signature.inputs, EXTRA_FIELDS);
    topKOf(body as Record<string, unknown>);
    return servable;
  }
}

function topKOf(body: Record<string, unknown>): number | undefined {
  const k = body.top_k;
  if (k === undefined) return undefined;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new InvalidInputError(`top_k must be an integer >= 1, got ${JSON.stringify(k)}`, 'top_k');
  return k;
}

function encode(prediction: Prediction, format: 'row' | 'columnar'): Record<string, unknown> {
  const key = format === 'row' ? 'predictions' : 'outputs';
  if (prediction.classifications) return { [key]: prediction.classifications };
  const names = prediction.servable.signature.outputs.map((o) => o.name);
  const { outputs } = prediction;
  if (format === 'columnar') {
    if (names.length === 1) return { outputs: tensorToJson(outputs[names[0]]) };
    return { outputs: Object.fromEntries(names.map((n) => [n, tensorToJson(outputs[n])])) };
  }
  const rows = outputs[names[0]].dims[0];
  const predictions = new Array(rows);
  for (let r = 0; r < rows; r++) {
    predictions[r] = names.length === 1 ? rowToJson(outputs[names[0]], r) : Object.fromEntries(names.map((n) => [n, rowToJson(outputs[n], r)]));
  }
  return { predictions };
}

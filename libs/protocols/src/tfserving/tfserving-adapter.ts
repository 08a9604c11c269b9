import { Injectable } from '@nestjs/common';
import type { CacheOutcome } from '@app/caching';
import { DataPlane, InferProtocol, InferResult } from '@app/dataplane';
import { InvalidInputError } from '@app/errors';
import { ModelVersion } from '@app/models';
import { rowToJson, tensorToJson } from '../json/json-tensor';
import { decodeTfServingRequest } from './tfserving-request';

export interface TfServingAnswer {
  /** `{"predictions": [...]}` or `{"outputs": ...}`, as TF Serving answers. */
  body: Record<string, unknown>;
  model: string;
  version: number;
  /** How the prediction cache answered (X-Cache); absent when the model's cache is off. */
  cache?: CacheOutcome;
}

export interface TfServingOptions {
  protocol?: InferProtocol;
  /** 1..10, 10 first (queued jobs). */
  priority?: number;
  /** Milliseconds; the server's requestTimeoutMs by default. */
  timeoutMs?: number;
}

/** modelgate's extension fields in a :predict body; TF Serving clients never send them. */
const EXTRA_FIELDS = ['top_k'];

/** TF Serving's REST :predict body (row or columnar) on the data plane: decode, infer, encode. */
@Injectable()
export class TfServingAdapter {
  constructor(private readonly dataplane: DataPlane) {}

  async predict(name: string, version: number | undefined, body: unknown, options: TfServingOptions = {}): Promise<TfServingAnswer> {
    const servable = this.dataplane.model(name, version);
    const decoded = decodeTfServingRequest(body, servable.signature.inputs, EXTRA_FIELDS);
    const result = await this.dataplane.infer({
      servable,
      inputs: decoded.tensors,
      rows: decoded.rows,
      protocol: options.protocol ?? 'tfserving',
      priority: options.priority,
      timeoutMs: options.timeoutMs,
      topK: topKOf(body as Record<string, unknown>),
    });
    return { body: encode(result, decoded.format), model: servable.name, version: servable.version, cache: result.cache };
  }

  /** Checks a body against the model's signature without running it (the jobs API, at submit time). */
  check(name: string, version: number | undefined, body: unknown): ModelVersion {
    const servable = this.dataplane.model(name, version);
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

function encode(result: InferResult, format: 'row' | 'columnar'): Record<string, unknown> {
  const key = format === 'row' ? 'predictions' : 'outputs';
  if (result.classifications) return { [key]: result.classifications };
  const names = result.request.servable.signature.outputs.map((o) => o.name);
  const { outputs } = result;
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

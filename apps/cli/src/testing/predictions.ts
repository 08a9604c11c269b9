import { Example } from '../data/examples';
import { checkAccess } from '../server/model-info';
import { errorText, HttpClient, TransportError, unreachable } from '../server/http-client';

/** What the server answered for one example. */
export interface Prediction {
  label?: string;
  score?: number;
  /** Numeric answer of a model without labels, flattened. */
  values?: number[];
  /** Set when the request failed: status and message. */
  error?: string;
}

export type Progress = (done: number) => void;

export function predictPath(model: string): string {
  return `/v1/models/${encodeURIComponent(model)}:predict`;
}

/**
 * Sends the examples in requests of `batch` instances, at most `parallel` requests in flight, and returns
 * one prediction per example in order. A refused key or a vanished server stops the run (nothing after it
 * would mean anything); any other failed request marks its examples failed and the run goes on.
 */
export async function predictAll(
  client: HttpClient,
  model: string,
  examples: Example[],
  options: { batch: number; parallel: number; onProgress?: Progress },
): Promise<Prediction[]> {
  const results = new Array<Prediction>(examples.length);
  const chunks: number[][] = [];
  for (let i = 0; i < examples.length; i += options.batch) chunks.push(examples.slice(i, i + options.batch).map((_, k) => i + k));
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const indices = chunks[next++];
      let answer;
      try {
        answer = await client.postJson(predictPath(model), { instances: indices.map((i) => examples[i].instance) });
      } catch (error) {
        throw error instanceof TransportError ? unreachable(error) : error;
      }
      checkAccess(answer, client.baseUrl);
      const predictions = (answer.json as { predictions?: unknown[] } | undefined)?.predictions;
      indices.forEach((index, k) => {
        if (answer.status !== 200 || !Array.isArray(predictions)) {
          results[index] = { error: `${answer.status}: ${errorText(answer)}` };
        } else {
          results[index] = readPrediction(predictions[k]);
        }
      });
      done += indices.length;
      options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel, chunks.length) }, worker));
  return results;
}

function readPrediction(value: unknown): Prediction {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { label?: unknown }).label === 'string') {
    const p = value as { label: string; score?: number };
    return { label: p.label, score: p.score };
  }
  const leaves = [value].flat(Infinity);
  if (leaves.length === 1 && leaves[0] && typeof leaves[0] === 'object') {
    // Several outputs answer one object per instance: their values in the order given.
    return { values: Object.values(leaves[0] as Record<string, unknown>).flat(Infinity).filter((v): v is number => typeof v === 'number') };
  }
  return { values: leaves.filter((v): v is number => typeof v === 'number') };
}

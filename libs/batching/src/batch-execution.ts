import { InternalError } from '@app/errors';
import { BatchExecutor } from './batch-types';
import { QueuedRequest } from './queued-request';

/**
 * Runs one batch and settles every request in it. Answers true when the batch ran as a whole (its
 * timing then says something about the batch size), false when it had to be broken up.
 *
 * When the executor rejects for a batch of several requests, each request is run again alone, so that
 * one bad request (an input the model chokes on) fails only itself and not the others that happened to
 * share its batch. This also isolates a request that crashes its worker thread: the pool replaces the
 * worker, the innocent requests succeed on their rerun and only the culprit fails again. The reruns
 * are sequential, inside the batch's in-flight slot, so that recovery never runs more batches at once
 * than there are instances.
 */
export async function executeBatch<TIn, TOut>(
  executor: BatchExecutor<TIn, TOut>,
  requests: QueuedRequest<TIn, TOut>[],
  rows: number,
  limit: number,
): Promise<boolean> {
  let results: Array<TOut | Error>;
  try {
    results = await runChecked(executor, requests.map((r) => r.input), rows, limit);
  } catch (error) {
    if (requests.length === 1) {
      requests[0].reject(error);
      return false;
    }
    for (const request of requests) {
      try {
        settle(request, (await runChecked(executor, [request.input], request.rows, limit))[0]);
      } catch (aloneError) {
        request.reject(aloneError);
      }
    }
    return false;
  }
  for (let i = 0; i < requests.length; i++) settle(requests[i], results[i]);
  return true;
}

async function runChecked<TIn, TOut>(
  executor: BatchExecutor<TIn, TOut>,
  inputs: TIn[],
  rows: number,
  limit: number,
): Promise<Array<TOut | Error>> {
  const results = await executor(inputs, { rows, limit });
  if (!Array.isArray(results) || results.length !== inputs.length) {
    const answered = Array.isArray(results) ? results.length : typeof results;
    throw new InternalError(`batch executor answered ${answered} results for ${inputs.length} inputs`);
  }
  return results;
}

function settle<TOut>(request: QueuedRequest<unknown, TOut>, result: TOut | Error): void {
  if (result instanceof Error) request.reject(result);
  else request.resolve(result);
}

import cluster, { Worker } from 'node:cluster';
import { AggregatorRegistry, PrometheusContentType, Registry } from 'prom-client';

/** IPC between a worker's /metrics route and the primary, which sums every worker's registry. */
const REQUEST = 'modelgate:cluster-metrics?';
const ANSWER = 'modelgate:cluster-metrics';
const TIMEOUT_MS = 5000;

let nextId = 1;

/** In a cluster worker, the registry the primary collects (prom-client answers its requests over IPC). */
export function shareWithPrimary(registry: Registry): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([registry]);
  // prom-client starts answering the primary's requests when an AggregatorRegistry is first made.
  new AggregatorRegistry<PrometheusContentType>();
}

/** In a cluster worker: the metrics of every worker, summed by the primary. Undefined outside a cluster. */
export function clusterMetricsText(): Promise<string> | undefined {
  if (!cluster.isWorker || !process.send) return undefined;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (process.off('message', onMessage), reject(new Error('the primary did not answer for the cluster metrics'))), TIMEOUT_MS);
    const onMessage = (message: { type?: string; id?: number; text?: string; error?: string }) => {
      if (message?.type !== ANSWER || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? '');
    };
    process.on('message', onMessage);
    process.send!({ type: REQUEST, id });
  });
}

/** In the primary: answers a worker's request for the cluster-wide metrics. */
export function answerClusterMetrics(worker: Worker, aggregator: AggregatorRegistry<PrometheusContentType>): void {
  worker.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text: string) => worker.isConnected() && worker.send({ type: ANSWER, id: message.id, text }),
      (error: Error) => worker.isConnected() && worker.send({ type: ANSWER, id: message.id, error: error.message }),
    );
  });
}

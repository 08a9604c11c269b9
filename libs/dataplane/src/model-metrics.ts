import { Injectable } from '@nestjs/common';
import { BatchObserver } from '@app/batching';
import { ModelgateError } from '@app/errors';
import { LATENCY_BUCKETS, MetricsService } from '@app/metrics';
import { ModelRegistry, ModelVersion, VersionState } from '@app/models';
import type { InferObserver } from './infer-observer';
import type { InferRequest } from './infer-request';

const STATES: VersionState[] = ['START', 'LOADING', 'AVAILABLE', 'UNLOADING', 'END'];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 48, 64, 96, 128, 256, 512];

/** Per-model metrics: batches, queue wait, compute time, adaptive limits, rejections, version states. */
@Injectable()
export class ModelMetrics {
  private readonly batchRows;
  private readonly queueWait;
  private readonly compute;
  private readonly limit;
  private readonly rejected;
  private readonly predictions;

  constructor(metrics: MetricsService, registry: ModelRegistry) {
    const labelNames = ['model', 'version'] as const;
    this.batchRows = metrics.histogram({ name: 'modelgate_batch_size_rows', help: 'Rows per batch run on an instance', labelNames, buckets: BATCH_BUCKETS });
    this.queueWait = metrics.histogram({ name: 'modelgate_batch_queue_wait_seconds', help: 'Time a request waited in the batch queue', labelNames, buckets: LATENCY_BUCKETS });
    this.compute = metrics.histogram({ name: 'modelgate_batch_compute_seconds', help: 'Time to run one batch on an instance', labelNames, buckets: LATENCY_BUCKETS });
    this.limit = metrics.gauge({ name: 'modelgate_batch_limit_rows', help: 'Current batch-size limit of the batching policy', labelNames });
    this.rejected = metrics.counter({
      name: 'modelgate_requests_rejected_total',
      help: 'Requests refused before running: queue_full (503), deadline (504), closed (unloading)',
      labelNames: ['model', 'version', 'reason'],
    });
    this.predictions = metrics.counter({
      name: 'modelgate_predictions_total',
      help: 'Requests a model version answered or failed, by protocol (tfserving, v2, grpc, job) and outcome (success or the error code)',
      labelNames: ['model', 'version', 'protocol', 'outcome'],
    });
    metrics.gauge({
      name: 'modelgate_model_version_state',
      help: '1 for the state each model version is in',
      labelNames: ['model', 'version', 'state'],
      collect() {
        this.reset();
        for (const name of registry.names()) {
          for (const v of registry.status(name).versions) {
            for (const state of STATES) this.set({ model: name, version: String(v.version), state }, v.state === state ? 1 : 0);
          }
        }
      },
    });
  }

  /** The data plane's observer: one count per request that reached a version. */
  readonly requests: InferObserver = {
    observe: (result) => this.countRequest(result.request, 'success'),
    fail: (request, error) => this.countRequest(request, error instanceof ModelgateError ? error.code : 'INTERNAL'),
  };

  private countRequest(request: InferRequest, outcome: string): void {
    this.predictions.inc({ model: request.servable.name, version: String(request.servable.version), protocol: request.protocol, outcome });
  }

  batchObserver(servable: ModelVersion): BatchObserver {
    const labels = { model: servable.name, version: String(servable.version) };
    const rows = this.batchRows.labels(labels);
    const wait = this.queueWait.labels(labels);
    const compute = this.compute.labels(labels);
    const limit = this.limit.labels(labels);
    return {
      onBatch: (e) => {
        rows.observe(e.rows);
        for (const ms of e.queueWaitMs) wait.observe(ms / 1000);
        compute.observe(e.computeMs / 1000);
        limit.set(e.limit);
      },
      onReject: (reason) => this.rejected.inc({ ...labels, reason }),
      onLimitChange: (value) => limit.set(value),
    };
  }
}

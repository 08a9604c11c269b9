import { Injectable } from '@nestjs/common';
import { BatchObserver } from '@app/batching';
import { ModelgateError } from '@app/errors';
import { LATENCY_BUCKETS, MetricsService } from '@app/metrics';
import { ModelRegistry, ModelVersion, VersionState } from '@app/models';
import type { InferObserver, InferTiming } from './infer-observer';
import type { InferRequest } from './infer-request';

const STATES: VersionState[] = ['START', 'LOADING', 'AVAILABLE', 'UNLOADING', 'END'];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 48, 64, 96, 128, 256, 512];

/** Rows waiting in each version's batcher now, read when Prometheus scrapes. */
export type PendingRowsSource = () => Iterable<[servable: ModelVersion, rows: number]>;

/**
 * Per-model metrics, labelled by model and version (only versions the registry holds, so label values
 * stay bounded): requests by protocol and outcome and their duration (Triton's
 * nv_inference_request_success/failure and _duration_us), rows answered and batches run (its
 * inference_count and exec_count), rows pending in the batcher, batches, queue wait, compute time,
 * adaptive limits, rejections, version states.
 */
@Injectable()
export class ModelMetrics {
  private readonly batchRows;
  private readonly queueWait;
  private readonly compute;
  private readonly limit;
  private readonly rejected;
  private readonly predictions;
  private readonly duration;
  private readonly inferences;
  private readonly executions;
  private pending: PendingRowsSource = () => [];

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
    this.duration = metrics.histogram({
      name: 'modelgate_prediction_duration_seconds',
      help: 'Time the data plane took for a request of a model version, answered or failed (cache, batcher queue, run, postprocessing), by protocol',
      labelNames: ['model', 'version', 'protocol'],
      buckets: LATENCY_BUCKETS,
    });
    this.inferences = metrics.counter({
      name: 'modelgate_inferences_total',
      help: 'Rows a model version answered, from the cache or the model (the statistics extension\'s inference_count)',
      labelNames,
    });
    this.executions = metrics.counter({
      name: 'modelgate_executions_total',
      help: 'Batches a model version ran on an instance (the statistics extension\'s execution_count)',
      labelNames,
    });
    const pending = () => this.pending();
    metrics.gauge({
      name: 'modelgate_batch_pending_rows',
      help: 'Rows waiting in the batcher of each model version (Triton\'s nv_inference_pending_request_count, in rows)',
      labelNames,
      collect() {
        this.reset();
        for (const [servable, rows] of pending()) this.set({ model: servable.name, version: String(servable.version) }, rows);
      },
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

  /** The data plane's observer: one count and one duration per request that reached a version. */
  readonly requests: InferObserver = {
    observe: (result, timing) => {
      this.countRequest(result.request, 'success', timing);
      this.inferences.inc(this.labelsOf(result.request.servable), result.request.rows);
    },
    fail: (request, error, timing) => this.countRequest(request, error instanceof ModelgateError ? error.code : 'INTERNAL', timing),
  };

  /** Where the pending-rows gauge reads the batchers from at scrape time (ModelBatchers, which holds them). */
  reportPending(source: PendingRowsSource): void {
    this.pending = source;
  }

  private countRequest(request: InferRequest, outcome: string, timing: InferTiming): void {
    const version = String(request.servable.version);
    this.predictions.inc({ model: request.servable.name, version, protocol: request.protocol, outcome });
    this.duration.observe({ model: request.servable.name, version, protocol: request.protocol }, timing.totalNs / 1e9);
  }

  private labelsOf(servable: ModelVersion): { model: string; version: string } {
    return { model: servable.name, version: String(servable.version) };
  }

  batchObserver(servable: ModelVersion): BatchObserver {
    const labels = this.labelsOf(servable);
    const rows = this.batchRows.labels(labels);
    const wait = this.queueWait.labels(labels);
    const compute = this.compute.labels(labels);
    const limit = this.limit.labels(labels);
    const executions = this.executions.labels(labels);
    // At 0 from the moment the version takes traffic, so that rate() sees the first batch.
    executions.inc(0);
    this.inferences.inc(labels, 0);
    return {
      onBatch: (e) => {
        rows.observe(e.rows);
        executions.inc();
        for (const ms of e.queueWaitMs) wait.observe(ms / 1000);
        compute.observe(e.computeMs / 1000);
        limit.set(e.limit);
      },
      onReject: (reason) => this.rejected.inc({ ...labels, reason }),
      onLimitChange: (value) => limit.set(value),
    };
  }
}

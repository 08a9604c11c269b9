import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, CounterConfiguration, Gauge, GaugeConfiguration, Histogram, HistogramConfiguration, Registry } from 'prom-client';
import { shareWithPrimary } from './cluster-metrics';

/** Seconds buckets from 0.5 ms to 10 s: inference latencies on CPU span that whole range. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The app's Prometheus registry (one per app, not prom-client's global one, so that several apps in one
 * process or one test file do not collide). Libraries define their own metrics through it; asking twice
 * for the same name returns the same metric.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    // prom-client's process_* and nodejs_* under their standard names: stock Node.js dashboards and alerts read them.
    collectDefaultMetrics({ register: this.registry });
    shareWithPrimary(this.registry);
    this.httpRequests = this.counter({
      name: 'modelgate_http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
    });
    this.httpDuration = this.histogram({
      name: 'modelgate_http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
    });
  }

  observeHttp(o: { method: string; route: string; status: number; seconds: number }): void {
    const labels = { method: o.method, route: o.route, status: String(o.status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, o.seconds);
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return this.existing(config.name) ?? new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.existing(config.name) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return this.existing(config.name) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  private existing<T>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }
}

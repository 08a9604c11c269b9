export { MetricsModule } from './metrics.module';
export { MetricsService, LATENCY_BUCKETS } from './metrics.service';

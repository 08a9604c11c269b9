export { MetricsModule } from './metrics.module';
export { MetricsService, LATENCY_BUCKETS } from './metrics.service';
export { answerClusterMetrics } from './cluster-metrics';

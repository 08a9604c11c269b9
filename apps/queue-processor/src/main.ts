import { exitOnStartFailure, startHttpApp } from '@app/platform';
import { QueueProcessorAppModule } from './queue-processor-app.module';

void startHttpApp({
  appName: 'queue-processor',
  rootModule: (config) => QueueProcessorAppModule.forRoot(config),
  port: (config) => config.queueProcessor.healthPort,
  banner: (base) => [`health   ${base}/health/live  ${base}/health/ready`, `metrics  ${base}/metrics`],
}).catch(exitOnStartFailure);

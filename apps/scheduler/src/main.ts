import { exitOnStartFailure, startHttpApp } from '@app/platform';
import { SchedulerAppModule } from './scheduler-app.module';

void startHttpApp({
  appName: 'scheduler',
  rootModule: (config) => SchedulerAppModule.forRoot(config),
  port: (config) => config.scheduler.healthPort,
  banner: (base) => [`health   ${base}/health/live  ${base}/health/ready`, `metrics  ${base}/metrics`],
}).catch(exitOnStartFailure);

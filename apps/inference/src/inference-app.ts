import { HttpAppSpec } from '@app/platform';
import { InferenceAppModule } from './inference-app.module';
import { setupSwagger } from './docs/swagger';

/** How the inference app is started, alone or inside the all-in-one launcher. */
export const inferenceAppSpec: HttpAppSpec = {
  appName: 'inference',
  rootModule: (config) => InferenceAppModule.forRoot(config),
  port: (config) => config.server.port,
  configure: (app) => setupSwagger(app),
  banner: (base) => [
    `API      ${base}/v1/models (TF Serving) and ${base}/v2 (KServe V2)`,
    `docs     ${base}/docs`,
    `health   ${base}/health/live  ${base}/health/ready`,
    `metrics  ${base}/metrics`,
  ],
};

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, ConfigOverrides } from '@app/config';
import { HttpAppSpec, startHttpApp } from '@app/platform';
import { inferenceAppSpec } from '../../apps/inference/src/inference-app';
import { AllInOneModule } from '../../src/all-in-one.module';
import { testConfig } from './test-config';

export interface RunningApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/** The all-in-one app (what `npm start` runs), started for real on a random port with a test config. */
export async function startAllInOne(overrides: ConfigOverrides = {}, configDir?: string): Promise<RunningApp> {
  return startApp({ ...inferenceAppSpec, appName: 'modelgate', rootModule: (c) => AllInOneModule.forRoot(c) }, testConfig(overrides, configDir));
}

/** The inference app alone. */
export async function startInference(overrides: ConfigOverrides = {}): Promise<RunningApp> {
  return startApp(inferenceAppSpec, testConfig(overrides));
}

export async function startApp(spec: HttpAppSpec, config: AppConfig): Promise<RunningApp> {
  const app = await startHttpApp({ ...spec, banner: () => [] }, config, { console: false });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, config, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

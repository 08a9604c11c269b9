import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigModule } from '@app/config';
import { ModelRegistry, ModelsModule } from '@app/models';

@Module({})
class ModelValidationModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ModelValidationModule, imports: [ConfigModule.forRoot(config), ModelsModule] };
  }
}

/**
 * Loads `name` from `repository` exactly as the server does: the same ModelsModule and ModelRegistry,
 * onnxruntime in worker threads, model.json parsed and checked against the graph, labels against the
 * output, warmup run. Returns the reason the server would refuse it, or undefined when it would serve it.
 */
export async function serverRefusal(config: AppConfig, repository: string, name: string): Promise<string | undefined> {
  const scoped: AppConfig = { ...config, models: { ...config.models, repository, watch: false, pollIntervalSeconds: 0 } };
  let app;
  try {
    app = await NestFactory.createApplicationContext(ModelValidationModule.forRoot(scoped), { logger: false, abortOnError: false });
  } catch (error) {
    return (error as Error).message;
  }
  try {
    const status = app.get(ModelRegistry).status(name);
    if (status.error) return status.error;
    const failed = status.versions.find((v) => v.state !== 'AVAILABLE');
    if (failed) return failed.error ?? `version ${failed.version} is ${failed.state}`;
    return undefined;
  } finally {
    await app.close();
  }
}

import { Module } from '@nestjs/common';
import { ModelRegistry } from './model-registry.service';
import { ModelRepositoryModule } from './repository/model-repository.module';
import { RepositoryWatcher } from './repository/repository-watcher.service';
import { MODEL_RUNTIME } from './runtime/model-runtime';
import { OnnxRuntime } from './runtime/onnx-runtime';

@Module({
  imports: [ModelRepositoryModule],
  // The runtime is a token so a test module can swap onnxruntime out (overrideProvider(MODEL_RUNTIME)).
  providers: [{ provide: MODEL_RUNTIME, useClass: OnnxRuntime }, ModelRegistry, RepositoryWatcher],
  exports: [ModelRegistry, ModelRepositoryModule],
})
export class ModelsModule {}

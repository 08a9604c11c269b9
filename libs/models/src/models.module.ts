import { Module } from '@nestjs/common';
import { ModelRegistry } from './model-registry.service';
import { ModelRepositoryModule } from './repository/model-repository.module';
import { RepositoryWatcher } from './repository/repository-watcher.service';

@Module({
  imports: [ModelRepositoryModule],
  providers: [ModelRegistry, RepositoryWatcher],
  exports: [ModelRegistry, ModelRepositoryModule],
})
export class ModelsModule {}

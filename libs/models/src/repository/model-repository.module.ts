import { Module } from '@nestjs/common';
import { ModelsConfig } from '@app/config';
import { ModelRepository } from './model-repository';

/** The repository's files alone, for apps that read model.json but serve nothing (the scheduler). */
@Module({
  providers: [{ provide: ModelRepository, useFactory: (config: ModelsConfig) => new ModelRepository(config.repository, { name: config.name }), inject: [ModelsConfig] }],
  exports: [ModelRepository],
})
export class ModelRepositoryModule {}

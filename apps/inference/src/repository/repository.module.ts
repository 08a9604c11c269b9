import { Module } from '@nestjs/common';
import { ModelsModule } from '@app/models';
import { RepositoryController } from './repository.controller';

/** The V2 repository extension: index, load, unload (admin key). */
@Module({
  imports: [ModelsModule],
  controllers: [RepositoryController],
})
export class RepositoryModule {}

import { Module } from '@nestjs/common';
import { CachingModule } from '@app/caching';
import { CacheController } from './cache.controller';

/** Clearing a model's prediction cache (admin key), on every replica through the control channel. */
@Module({
  imports: [CachingModule],
  controllers: [CacheController],
})
export class CacheAdminModule {}

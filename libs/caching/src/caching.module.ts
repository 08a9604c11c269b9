import { Module } from '@nestjs/common';
import { ModelsModule } from '@app/models';
import { CacheMetrics } from './cache-metrics';
import { PredictionCache } from './prediction-cache.service';

/** The prediction cache. Needs PlatformModule at the root (config, metrics, control channel). */
@Module({
  imports: [ModelsModule],
  providers: [PredictionCache, CacheMetrics],
  exports: [PredictionCache],
})
export class CachingModule {}

import { Module } from '@nestjs/common';
import { BatchingModule } from '@app/batching';
import { CachingModule } from '@app/caching';
import { DriftModule } from '@app/drift';
import { ModelsModule } from '@app/models';
import { DataPlane } from './dataplane.service';
import { DriftObserver, INFER_OBSERVERS, InferObserver } from './infer-observer';
import { ModelBatchers } from './model-batchers';
import { ModelControlListener } from './model-control.listener';
import { ModelMetrics } from './model-metrics';
import { ModelStatistics } from './model-statistics';

@Module({
  imports: [ModelsModule, BatchingModule, CachingModule, DriftModule],
  providers: [
    ModelBatchers,
    ModelControlListener,
    ModelMetrics,
    DataPlane,
    DriftObserver,
    ModelStatistics,
    {
      provide: INFER_OBSERVERS,
      useFactory: (drift: DriftObserver, statistics: ModelStatistics, metrics: ModelMetrics): InferObserver[] => [drift, statistics, metrics.requests],
      inject: [DriftObserver, ModelStatistics, ModelMetrics],
    },
  ],
  exports: [DataPlane, ModelBatchers, ModelStatistics, ModelsModule],
})
export class DataPlaneModule {}

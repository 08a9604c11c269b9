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

@Module({
  imports: [ModelsModule, BatchingModule, CachingModule, DriftModule],
  providers: [
    ModelBatchers,
    ModelControlListener,
    ModelMetrics,
    DataPlane,
    DriftObserver,
    { provide: INFER_OBSERVERS, useFactory: (...observers: InferObserver[]) => observers, inject: [DriftObserver] },
  ],
  exports: [DataPlane, ModelBatchers, ModelsModule],
})
export class DataPlaneModule {}

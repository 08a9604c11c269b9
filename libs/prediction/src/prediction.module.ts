import { Module } from '@nestjs/common';
import { BatchingModule } from '@app/batching';
import { CachingModule } from '@app/caching';
import { ModelsModule } from '@app/models';
import { DriftModule } from './drift/drift.module';
import { ModelBatchers } from './model-batchers';
import { ModelControlListener } from './model-control.listener';
import { ModelMetrics } from './model-metrics';
import { PredictionService } from './prediction.service';
import { TfServingPredictor } from './tfserving-predictor';
import { V2Predictor } from './v2-predictor';

@Module({
  imports: [ModelsModule, BatchingModule, CachingModule, DriftModule],
  providers: [
    ModelBatchers,
    ModelControlListener,
    ModelMetrics,
    PredictionService,
    TfServingPredictor,
    V2Predictor,
  ],
  exports: [PredictionService, TfServingPredictor, V2Predictor, ModelBatchers, ModelsModule, DriftModule],
})
export class PredictionModule {}

import { Module } from '@nestjs/common';
import { ModelsModule } from '@app/models';
import { ProtocolsModule } from '@app/protocols';
import { JobsModule } from '../jobs/jobs.module';
import { ClassifyRegressController } from './classify-regress.controller';
import { ModelStatusController } from './model-status.controller';
import { PredictController } from './predict.controller';

/**
 * TensorFlow Serving's REST API: :predict (inline, or queued with Prefer: respond-async), :classify and
 * :regress, model status and metadata; each by name, version or version label.
 */
@Module({
  imports: [ProtocolsModule, ModelsModule, JobsModule],
  controllers: [PredictController, ClassifyRegressController, ModelStatusController],
})
export class TfServingModule {}

import { Module } from '@nestjs/common';
import { ModelsModule } from '@app/models';
import { ProtocolsModule } from '@app/protocols';
import { JobsModule } from '../jobs/jobs.module';
import { ModelStatusController } from './model-status.controller';
import { PredictController } from './predict.controller';

/** TensorFlow Serving's REST API: :predict (inline, or queued with Prefer: respond-async), model status and metadata. */
@Module({
  imports: [ProtocolsModule, ModelsModule, JobsModule],
  controllers: [PredictController, ModelStatusController],
})
export class TfServingModule {}

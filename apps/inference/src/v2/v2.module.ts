import { Module } from '@nestjs/common';
import { ModelsModule } from '@app/models';
import { ProtocolsModule } from '@app/protocols';
import { InferenceHealthModule } from '../health/inference-health';
import { TritonExtensionsController } from './triton-extensions.controller';
import { V2InferController } from './v2-infer.controller';
import { V2ModelsController } from './v2-models.controller';
import { V2ServerController } from './v2-server.controller';
import { V2StatusService } from './v2-status.service';

/** KServe V2 (Open Inference Protocol) over REST; V2StatusService also answers the gRPC service's health and metadata RPCs. */
@Module({
  imports: [ProtocolsModule, ModelsModule, InferenceHealthModule],
  controllers: [V2ServerController, V2ModelsController, V2InferController, TritonExtensionsController],
  providers: [V2StatusService],
  exports: [V2StatusService],
})
export class V2Module {}

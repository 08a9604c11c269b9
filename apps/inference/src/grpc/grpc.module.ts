import { Module } from '@nestjs/common';
import { AccessModule } from '@app/access';
import { ModelsModule } from '@app/models';
import { ProtocolsModule } from '@app/protocols';
import { V2Module } from '../v2/v2.module';
import { GrpcCalls } from './grpc-calls';
import { GrpcInferenceService } from './grpc-inference.service';
import { GrpcServer } from './grpc-server.service';

/** KServe V2 over gRPC on grpc.port, over the same data plane (and so the same batches) as REST and jobs. */
@Module({
  imports: [AccessModule, ProtocolsModule, ModelsModule, V2Module],
  providers: [GrpcCalls, GrpcInferenceService, GrpcServer],
  exports: [GrpcServer],
})
export class GrpcModule {}

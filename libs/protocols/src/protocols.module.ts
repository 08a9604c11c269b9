import { Module } from '@nestjs/common';
import { DataPlaneModule } from '@app/dataplane';
import { TfServingAdapter } from './tfserving/tfserving-adapter';
import { TritonExtensions } from './triton/triton-extensions';
import { V2GrpcAdapter } from './v2/grpc/v2-grpc-adapter';
import { V2Adapter } from './v2/v2-adapter';

/** The protocol adapters over the data plane; transports (HTTP controllers, gRPC handlers, job workers) use these. */
@Module({
  imports: [DataPlaneModule],
  providers: [TfServingAdapter, V2Adapter, V2GrpcAdapter, TritonExtensions],
  exports: [TfServingAdapter, V2Adapter, V2GrpcAdapter, TritonExtensions, DataPlaneModule],
})
export class ProtocolsModule {}

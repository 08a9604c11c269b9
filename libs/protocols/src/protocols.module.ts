import { Module } from '@nestjs/common';
import { DataPlaneModule } from '@app/dataplane';
import { TfServingAdapter } from './tfserving/tfserving-adapter';
import { V2Adapter } from './v2/v2-adapter';

/** The protocol adapters over the data plane; transports (HTTP controllers, gRPC handlers, job workers) use these. */
@Module({
  imports: [DataPlaneModule],
  providers: [TfServingAdapter, V2Adapter],
  exports: [TfServingAdapter, V2Adapter, DataPlaneModule],
})
export class ProtocolsModule {}

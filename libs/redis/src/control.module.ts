import { Global, Module } from '@nestjs/common';
import { ControlChannel } from './control-channel';

/** Global: any feature may publish or handle control messages; one subscriber connection per process. */
@Global()
@Module({ providers: [ControlChannel], exports: [ControlChannel] })
export class ControlModule {}

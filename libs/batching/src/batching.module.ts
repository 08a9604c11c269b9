import { Module } from '@nestjs/common';
import { BatcherFactory } from './batcher.factory';

@Module({
  providers: [BatcherFactory],
  exports: [BatcherFactory],
})
export class BatchingModule {}

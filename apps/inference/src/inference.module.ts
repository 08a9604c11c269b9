import { Module } from '@nestjs/common';
import { CacheAdminModule } from './cache/cache-admin.module';
import { GrpcModule } from './grpc/grpc.module';
import { InferenceHealthModule } from './health/inference-health';
import { JobsModule } from './jobs/jobs.module';
import { RepositoryModule } from './repository/repository.module';
import { RequestBodyParser } from './request-body/request-body.parser';
import { SchedulesModule } from './schedules/schedules.module';
import { TfServingModule } from './tfserving/tfserving.module';
import { V2Module } from './v2/v2.module';

/** The inference app's transports, one feature module each, and how their request bodies are read. Needs PlatformModule at the root. */
@Module({
  imports: [InferenceHealthModule, TfServingModule, V2Module, GrpcModule, JobsModule, RepositoryModule, SchedulesModule, CacheAdminModule],
  providers: [RequestBodyParser],
})
export class InferenceModule {}

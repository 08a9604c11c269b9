import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { CachingModule } from '@app/caching';
import { ProtocolsModule } from '@app/protocols';
import { DriftModule } from '@app/drift';
import { EventLoopHealthIndicator, HealthModule, ModelsHealthIndicator, QueueBacklogHealthIndicator, RedisHealthIndicator } from '@app/health';
import { ModelsModule } from '@app/models';
import { JobQueueModule, MaintenanceModule } from '@app/queue';
import { CacheController } from './cache/cache.controller';
import { JobsModule } from './jobs/jobs.module';
import { ModelStatusController } from './tfserving/model-status.controller';
import { PredictController } from './tfserving/predict.controller';
import { RepositoryController } from './repository/repository.controller';
import { DriftController } from './schedules/drift.controller';
import { SchedulesController } from './schedules/schedules.controller';
import { SchedulesService } from './schedules/schedules.service';
import { BinaryTensorBodyParser } from './v2/binary-tensor-body';
import { V2InferController } from './v2/v2-infer.controller';
import { V2ModelsController } from './v2/v2-models.controller';
import { V2ServerController } from './v2/v2-server.controller';
import { V2StatusService } from './v2/v2-status.service';

/** The HTTP API: predictions, jobs, model status and control, schedules, probes. Needs PlatformModule at the root. */
@Module({
  imports: [
    ProtocolsModule,
    DriftModule,
    CachingModule,
    JobsModule,
    MaintenanceModule,
    CacheModule.register(), // HTTP response cache of read-mostly routes (drift reports), in memory
    HealthModule.forRoot({
      imports: [ModelsModule, JobQueueModule],
      checks: [RedisHealthIndicator, ModelsHealthIndicator, EventLoopHealthIndicator, QueueBacklogHealthIndicator],
    }),
  ],
  controllers: [
    PredictController,
    CacheController,
    ModelStatusController,
    RepositoryController,
    V2ServerController,
    V2ModelsController,
    V2InferController,
    SchedulesController,
    DriftController,
  ],
  providers: [V2StatusService, BinaryTensorBodyParser, SchedulesService],
})
export class InferenceModule {}

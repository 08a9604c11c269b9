import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { DriftModule } from '@app/drift';
import { ModelRepositoryModule } from '@app/models';
import { MaintenanceModule } from '@app/queue';
import { DriftController } from './drift.controller';
import { SchedulesController } from './schedules.controller';
import { SchedulesService } from './schedules.service';

/** The scheduler's cron jobs seen from the API: list, run now, last runs; and the drift reports they write. */
@Module({
  imports: [
    MaintenanceModule,
    DriftModule,
    ModelRepositoryModule,
    CacheModule.register(), // HTTP response cache of read-mostly routes (drift reports), in memory
  ],
  controllers: [SchedulesController, DriftController],
  providers: [SchedulesService],
})
export class SchedulesModule {}

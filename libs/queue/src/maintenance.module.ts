import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MaintenanceClient } from './maintenance-client';
import { MAINTENANCE_QUEUE } from './queue-names';
import { ScheduleRuns } from './schedule-runs';

/** The maintenance queue as any app sees it: run a schedule now, read next and last runs. */
@Module({
  imports: [BullModule.registerQueue({ name: MAINTENANCE_QUEUE })],
  providers: [MaintenanceClient, ScheduleRuns],
  exports: [MaintenanceClient, ScheduleRuns, BullModule],
})
export class MaintenanceModule {}

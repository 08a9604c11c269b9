import { Module } from '@nestjs/common';
import { DriftModule } from '@app/drift';
import { ModelRepositoryModule } from '@app/models';
import { JobQueueModule, MaintenanceModule } from '@app/queue';
import { MaintenanceProcessor } from './maintenance.processor';
import { MAINTENANCE_TASKS, MaintenanceTask } from './maintenance-task';
import { ScheduleRegistrar } from './schedule-registrar.service';
import { BatchScoreTask } from './tasks/batch-score/batch-score.task';
import { CleanupTask } from './tasks/cleanup.task';
import { DriftReportTask } from './tasks/drift-report.task';
import { ReferenceRefreshTask } from './tasks/reference-refresh.task';
import { RepositorySyncTask } from './tasks/repository-sync.task';

const TASKS = [RepositorySyncTask, ReferenceRefreshTask, BatchScoreTask, DriftReportTask, CleanupTask];

/** Cron-scheduled maintenance on BullMQ job schedulers. Needs PlatformModule at the root. */
@Module({
  imports: [MaintenanceModule, ModelRepositoryModule, DriftModule, JobQueueModule],
  providers: [
    ...TASKS,
    { provide: MAINTENANCE_TASKS, useFactory: (...tasks: MaintenanceTask[]) => tasks, inject: TASKS },
    MaintenanceProcessor,
    ScheduleRegistrar,
  ],
})
export class SchedulerModule {}

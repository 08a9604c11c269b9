import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig, loadSchedules, QueueConfig, Schedule } from '@app/config';
import { MAINTENANCE_QUEUE, MaintenanceJobData } from '@app/queue';

/**
 * Makes Redis hold exactly the schedules of config/schedules.yaml: upserts each as a BullMQ job scheduler
 * (idempotent, so every scheduler replica may do it at start) and removes the ones no longer in the file.
 */
@Injectable()
export class ScheduleRegistrar implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Scheduler');
  private schedules: Schedule[] = [];

  constructor(
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue<MaintenanceJobData>,
    private readonly config: AppConfig,
    private readonly queueConfig: QueueConfig,
  ) {}

  /** A bad schedules.yaml stops the start, with the schedule's name. */
  onModuleInit(): void {
    this.schedules = loadSchedules(this.config.configDir);
  }

  async onApplicationBootstrap(): Promise<void> {
    const wanted = this.schedules.filter((s) => s.enabled);
    for (const schedule of wanted) {
      const repeat = schedule.cron ? { pattern: schedule.cron, tz: schedule.tz } : { every: schedule.everyMs! };
      await this.queue.upsertJobScheduler(schedule.name, repeat, {
        name: schedule.job,
        data: { schedule: schedule.name, options: schedule.options },
        opts: {
          attempts: schedule.jobOptions.attempts ?? this.queueConfig.attempts,
          backoff: { type: 'exponential', delay: schedule.jobOptions.backoffMs ?? this.queueConfig.backoffMs },
          removeOnComplete: { age: this.queueConfig.removeOnCompleteSeconds },
          removeOnFail: { age: this.queueConfig.removeOnFailSeconds },
        },
      });
    }
    const names = new Set(wanted.map((s) => s.name));
    for (const existing of await this.queue.getJobSchedulers(0, -1)) {
      if (existing.key && !names.has(existing.key)) {
        await this.queue.removeJobScheduler(existing.key);
        this.logger.log(`schedule '${existing.key}' is no longer in schedules.yaml: removed`);
      }
    }
    for (const s of wanted) this.logger.log(`schedule '${s.name}': ${s.job} ${s.cron ? `at "${s.cron}" (${s.tz})` : `every ${s.everyMs} ms`}`);
  }
}

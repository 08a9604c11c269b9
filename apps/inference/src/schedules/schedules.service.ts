import { Injectable } from '@nestjs/common';
import { AppConfig, loadSchedules, QueueConfig, Schedule } from '@app/config';
import { NotFoundError } from '@app/errors';
import { MaintenanceClient, MaintenanceRun, ScheduleRun, ScheduleRuns } from '@app/queue';

export interface ScheduleView {
  name: string;
  job: string;
  cron?: string;
  tz?: string;
  everyMs?: number;
  enabled: boolean;
  options: Record<string, unknown>;
  nextRun?: string;
  lastRun?: ScheduleRun;
}

/** The schedules of config/schedules.yaml with their next run (Redis job schedulers) and last run. */
@Injectable()
export class SchedulesService {
  private readonly schedules: Schedule[];

  constructor(
    config: AppConfig,
    private readonly client: MaintenanceClient,
    private readonly runs: ScheduleRuns,
    private readonly queueConfig: QueueConfig,
  ) {
    this.schedules = loadSchedules(config.configDir);
  }

  async list(): Promise<ScheduleView[]> {
    const [next, last] = await Promise.all([this.client.nextRuns(), this.runs.last()]);
    return this.schedules.map((s) => ({
      name: s.name,
      job: s.job,
      ...(s.cron ? { cron: s.cron, tz: s.tz } : { everyMs: s.everyMs }),
      enabled: s.enabled,
      options: s.options,
      ...(next[s.name] ? { nextRun: new Date(next[s.name]!).toISOString() } : {}),
      ...(last[s.name] ? { lastRun: last[s.name] } : {}),
    }));
  }

  /** Runs a schedule's job now through the maintenance queue (a scheduler process takes it). */
  async runNow(name: string): Promise<MaintenanceRun> {
    const schedule = this.schedules.find((s) => s.name === name);
    if (!schedule) throw new NotFoundError(`no schedule named '${name}' (schedules.yaml has ${this.schedules.map((s) => s.name).join(', ')})`);
    return this.client.runNow(schedule, this.queueConfig.syncTimeoutMs);
  }
}

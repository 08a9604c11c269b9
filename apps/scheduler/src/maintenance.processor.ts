import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { MAINTENANCE_QUEUE, MaintenanceJobData, ScheduleRuns } from '@app/queue';
import { MAINTENANCE_TASKS, MaintenanceTask } from './maintenance-task';

/**
 * Runs the scheduler's jobs from the `maintenance` queue. A job scheduler in Redis creates one job per
 * tick, so however many scheduler processes run, each tick is executed once, by whichever takes it.
 */
@Processor(MAINTENANCE_QUEUE, { concurrency: 2 })
export class MaintenanceProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly tasks: Map<string, MaintenanceTask>;

  constructor(
    @Inject(MAINTENANCE_TASKS) tasks: MaintenanceTask[],
    private readonly runs: ScheduleRuns,
  ) {
    super();
    this.tasks = new Map(tasks.map((t) => [t.name, t]));
  }

  async process(job: Job<MaintenanceJobData>): Promise<unknown> {
    const task = this.tasks.get(job.name);
    if (!task) throw new UnrecoverableError(`no maintenance task named '${job.name}' (known: ${[...this.tasks.keys()].join(', ')})`);
    const schedule = job.data?.schedule ?? job.name;
    const started = Date.now();
    try {
      const result = await task.run(job.data?.options ?? {});
      const durationMs = Date.now() - started;
      this.logger.log(`${schedule}: ${job.name} done in ${durationMs} ms`);
      await this.record(schedule, { jobId: job.id!, at: new Date(started).toISOString(), status: 'completed', durationMs, result });
      return result;
    } catch (error) {
      const message = (error as Error).message;
      this.logger.error(`${schedule}: ${job.name} failed: ${message}`);
      await this.record(schedule, { jobId: job.id!, at: new Date(started).toISOString(), status: 'failed', durationMs: Date.now() - started, error: message });
      throw error;
    }
  }

  /**
   * Stop taking jobs and finish the one in hand before the connections it uses close (Nest closes them
   * in onApplicationShutdown, in no set order). Waiting for the worker to be connected first matters
   * too: BullMQ reports a connection closed while still connecting from an emitter with no listener left.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.waitUntilReady().catch(() => undefined);
    await this.worker?.close().catch(() => undefined);
  }

  /** Connection errors while Redis is away: the worker reconnects by itself; say so once per error. */
  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn(`maintenance worker: ${error.message}`);
  }

  private async record(schedule: string, run: Parameters<ScheduleRuns['record']>[1]): Promise<void> {
    await this.runs.record(schedule, run).catch((e: Error) => this.logger.warn(`last run of ${schedule} not recorded: ${e.message}`));
  }
}

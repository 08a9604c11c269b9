import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { QueueConfig, RedisConfig, Schedule } from '@app/config';
import { bullRedisOptions, queuePrefixOf, redisOptionsFromUrl } from '@app/redis';
import { closeBull } from './close-bull';
import { MaintenanceJobData } from './maintenance-job';
import { MAINTENANCE_QUEUE } from './queue-names';

export interface MaintenanceRun {
  jobId: string;
  state: string;
  result?: unknown;
  error?: string;
}

/** Runs a schedule's job now (admin "run now") and reads the job schedulers' next runs. */
@Injectable()
export class MaintenanceClient implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Maintenance');
  private events?: QueueEvents;

  constructor(
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue<MaintenanceJobData>,
    private readonly redis: RedisConfig,
    private readonly queueConfig: QueueConfig,
  ) {
    // An emitter without an 'error' listener throws: a Redis outage must be a log line, not a crash.
    queue.on('error', (error) => this.logger.warn(`maintenance queue: ${error.message}`));
  }

  /** Next run time (ms since epoch) of each job scheduler in Redis, by schedule name. */
  async nextRuns(): Promise<Record<string, number | undefined>> {
    const schedulers = await this.queue.getJobSchedulers(0, -1);
    return Object.fromEntries(schedulers.map((s) => [s.key, s.next]));
  }

  /** Enqueues the schedule's job and waits up to `waitMs` for it to finish. */
  async runNow(schedule: Schedule, waitMs: number): Promise<MaintenanceRun> {
    const job = await this.queue.add(
      schedule.job,
      { schedule: schedule.name, options: schedule.options },
      {
        jobId: `run-${schedule.name}-${randomUUID()}`,
        attempts: 1,
        removeOnComplete: { age: this.queueConfig.removeOnCompleteSeconds },
        removeOnFail: { age: this.queueConfig.removeOnFailSeconds },
      },
    );
    try {
      const result = await job.waitUntilFinished(await this.queueEvents(), waitMs);
      return { jobId: job.id!, state: 'completed', result };
    } catch (error) {
      const state = await Job.fromId(this.queue, job.id!).then((j) => j?.getState());
      if (state === 'failed') return { jobId: job.id!, state, error: (error as Error).message };
      return { jobId: job.id!, state: state ?? 'unknown' };
    }
  }

  private async queueEvents(): Promise<QueueEvents> {
    if (!this.events) {
      this.events = new QueueEvents(MAINTENANCE_QUEUE, { connection: bullRedisOptions(redisOptionsFromUrl(this.redis.url)), prefix: queuePrefixOf(this.redis) });
      this.events.on('error', (error) => this.logger.warn(`maintenance queue events: ${error.message}`));
      await this.events.waitUntilReady();
    }
    return this.events;
  }

  /** @nestjs/bullmq closes the queue itself; it must not be closed while still connecting (see closeBull). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.waitUntilReady().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.events) await closeBull(this.events, this.queueConfig.redisTimeoutMs);
  }
}

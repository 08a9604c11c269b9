import { Inject, Injectable } from '@nestjs/common';
import { RedisConfig } from '@app/config';
import { REDIS, RedisClient } from '@app/redis';

export interface ScheduleRun {
  jobId: string;
  at: string;
  status: 'completed' | 'failed';
  durationMs: number;
  result?: unknown;
  error?: string;
}

/** The last run of each schedule, kept in Redis so that any app can show it (GET /v1/schedules). */
@Injectable()
export class ScheduleRuns {
  private readonly key: string;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    config: RedisConfig,
  ) {
    this.key = `${config.keyPrefix}:schedules:last`;
  }

  async record(schedule: string, run: ScheduleRun): Promise<void> {
    await this.redis.hset(this.key, schedule, JSON.stringify(run));
  }

  async last(): Promise<Record<string, ScheduleRun>> {
    const all = await this.redis.hgetall(this.key);
    return Object.fromEntries(Object.entries(all).map(([name, json]) => [name, JSON.parse(json) as ScheduleRun]));
  }
}

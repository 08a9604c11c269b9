import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueConfig } from '@app/config';
import { ModelRepository } from '@app/models';
import { MAINTENANCE_QUEUE, PredictQueues } from '@app/queue';
import { MaintenanceTask } from '../maintenance-task';

const BATCH = 10_000;

/**
 * Removes job results older than their retention. BullMQ trims by age only when another job finishes on
 * the same queue, so a queue that went quiet would keep its old results (and their inputs) forever.
 */
@Injectable()
export class CleanupTask implements MaintenanceTask {
  readonly name = 'cleanup';

  constructor(
    private readonly config: QueueConfig,
    private readonly repository: ModelRepository,
    private readonly predictQueues: PredictQueues,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly maintenance: Queue,
  ) {}

  async run(): Promise<{ removed: Record<string, { completed: number; failed: number }> }> {
    const removed: Record<string, { completed: number; failed: number }> = {};
    for (const model of await this.repository.listModelNames()) {
      removed[`predict.${model}`] = await this.predictQueues.use(model, 'clean old jobs', (queue) => this.clean(queue));
    }
    removed.maintenance = await this.clean(this.maintenance);
    return { removed };
  }

  private async clean(queue: Queue): Promise<{ completed: number; failed: number }> {
    const completed = await queue.clean(this.config.removeOnCompleteSeconds * 1000, BATCH, 'completed');
    const failed = await queue.clean(this.config.removeOnFailSeconds * 1000, BATCH, 'failed');
    return { completed: completed.length, failed: failed.length };
  }
}

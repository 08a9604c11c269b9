import { Injectable } from '@nestjs/common';
import { ModelRepository } from '@app/models';
import { ControlChannel } from '@app/redis';
import { MaintenanceTask, modelsOption } from '../maintenance-task';

/**
 * A periodic data refresh: every serving process re-reads what its models take from files
 * besides the graph (labels files, model.json's reference statistics) and swaps them in atomically.
 */
@Injectable()
export class ReferenceRefreshTask implements MaintenanceTask {
  readonly name = 'reference-refresh';

  constructor(
    private readonly control: ControlChannel,
    private readonly repository: ModelRepository,
  ) {}

  async run(options: Record<string, unknown>): Promise<{ models: string[]; processes: number }> {
    const models = modelsOption(options) ?? (await this.repository.listModelNames());
    let processes = 0;
    for (const model of models) processes = await this.control.publish({ type: 'model.refresh-reference', model });
    return { models, processes };
  }
}

import { Injectable } from '@nestjs/common';
import { ControlChannel } from '@app/redis';
import { MaintenanceTask, modelsOption } from '../maintenance-task';

/**
 * Every serving process rescans the repository (or the named models) and converges: the fallback for
 * file watching, and how a replica on another machine notices a change on a shared volume.
 */
@Injectable()
export class RepositorySyncTask implements MaintenanceTask {
  readonly name = 'repository-sync';

  constructor(private readonly control: ControlChannel) {}

  async run(options: Record<string, unknown>): Promise<{ processes: number; models: string[] | 'all' }> {
    const models = modelsOption(options);
    let processes = 0;
    if (!models) processes = await this.control.publish({ type: 'model.sync' });
    else for (const model of models) processes = await this.control.publish({ type: 'model.sync', model });
    return { processes, models: models ?? 'all' };
  }
}

import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModelRegistry } from '@app/models';
import { ControlChannel } from '@app/redis';

/**
 * Fan-out control messages about models, as every process of every app receives them: a repository
 * sync (the scheduler's repository-sync, or an operator on another replica) and a reference refresh.
 */
@Injectable()
export class ModelControlListener implements OnModuleInit {
  private readonly logger = new Logger('ModelControl');

  constructor(
    private readonly registry: ModelRegistry,
    private readonly control: ControlChannel,
  ) {}

  onModuleInit(): void {
    this.control.on('model.sync', async ({ model }) => {
      if (model) await this.registry.sync(model);
      else await this.registry.syncAll();
    });
    this.control.on('model.refresh-reference', async ({ model }) => {
      if (!this.registry.has(model)) return;
      const refreshed = await this.registry.refreshReference(model);
      this.logger.log(`${model}: labels and reference statistics re-read for ${refreshed} version(s)`);
    });
  }
}

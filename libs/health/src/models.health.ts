import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ModelRegistry } from '@app/models';
import { ReadinessCheck } from './readiness-check';

/** Ready when every model in the repository has a version that serves (bar those unloaded on purpose). */
@Injectable()
export class ModelsHealthIndicator implements ReadinessCheck {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly registry: ModelRegistry,
  ) {}

  async check() {
    const session = this.health.check('models');
    const notServing: string[] = [];
    const serving: string[] = [];
    for (const name of this.registry.names()) {
      const status = this.registry.status(name);
      const available = status.versions.filter((v) => v.state === 'AVAILABLE').map((v) => v.version);
      if (available.length > 0) serving.push(`${name}@${available.join(',')}`);
      else if (!status.unloadedByRequest) notServing.push(name);
    }
    if (notServing.length > 0) return session.down({ message: `not serving: ${notServing.join(', ')}`, serving });
    return session.up({ serving });
  }
}

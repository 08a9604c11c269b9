import { Injectable } from '@nestjs/common';
import { DataPlane, ModelBatchers, ModelStatistics } from '@app/dataplane';
import { TritonModelConfig, tritonModelConfig } from './model-config-view';
import { tritonStatistics, TritonModelStatistics } from './statistics-view';

/** Triton's model configuration and statistics extensions, answered alike over REST and gRPC. */
@Injectable()
export class TritonExtensions {
  constructor(
    private readonly dataplane: DataPlane,
    private readonly batchers: ModelBatchers,
    private readonly statistics: ModelStatistics,
  ) {}

  /** The serving version's configuration (the newest available one unless `version` is given). */
  modelConfig(name: string, version?: number): TritonModelConfig {
    const servable = this.dataplane.model(name, version);
    return tritonModelConfig(servable, this.batchers.settingsOf(servable));
  }

  /** Statistics of every available version of `name`, or of every model when no name is given. */
  modelStatistics(name?: string, version?: number): { model_stats: TritonModelStatistics[] } {
    return tritonStatistics(this.statistics.snapshot(name, version));
  }
}

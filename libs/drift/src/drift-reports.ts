import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { DriftConfig, RedisConfig } from '@app/config';
import { InvalidInputError } from '@app/errors';
import { MetricsService } from '@app/metrics';
import { ModelRepository } from '@app/models';
import { REDIS } from '@app/redis';
import { compareWithReference, DistributionComparison } from './drift-statistics';
import { PredictionWindow } from './prediction-window';

export interface DriftReport extends DistributionComparison {
  model: string;
  at: string;
  /** drifted: above a threshold; stable: within them; insufficient: fewer samples than drift.minSamples. */
  verdict: 'drifted' | 'stable' | 'insufficient';
  thresholds: { psi: number; pValue: number; minSamples: number };
}

/**
 * Drift of a model's live predictions from its training distribution (model.json reference), kept as
 * the last `drift.keepReports` reports per model and exported as gauges.
 */
@Injectable()
export class DriftReports {
  private readonly logger = new Logger('Drift');
  private readonly psi;
  private readonly pValue;
  private readonly samples;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly redisConfig: RedisConfig,
    private readonly config: DriftConfig,
    private readonly repository: ModelRepository,
    private readonly window: PredictionWindow,
    metrics: MetricsService,
  ) {
    this.psi = metrics.gauge({ name: 'modelgate_drift_psi', help: 'PSI of the live predicted classes against training', labelNames: ['model'] });
    this.pValue = metrics.gauge({ name: 'modelgate_drift_chi_square_p_value', help: 'Chi-square p-value of the live predicted classes against training', labelNames: ['model'] });
    this.samples = metrics.gauge({ name: 'modelgate_drift_window_samples', help: 'Live predictions in the drift window', labelNames: ['model'] });
  }

  /** Models that can be compared: they carry a reference class distribution in model.json. */
  async comparableModels(): Promise<string[]> {
    const names = await this.repository.listModelNames();
    const withReference = await Promise.all(names.map(async (name) => Boolean((await this.referenceOf(name).catch(() => undefined)))));
    return names.filter((_, i) => withReference[i]);
  }

  async report(model: string): Promise<DriftReport> {
    const reference = await this.referenceOf(model);
    if (!reference) throw new InvalidInputError(`model '${model}' has no reference.classDistribution in model.json to compare with`);
    const counts: Record<string, number> = {};
    for (const label of await this.window.read(model)) counts[label] = (counts[label] ?? 0) + 1;
    const comparison = compareWithReference(counts, reference);
    const { psiThreshold, pValueThreshold, minSamples } = this.config;
    const verdict =
      comparison.samples < minSamples ? 'insufficient' : comparison.psi >= psiThreshold || comparison.pValue < pValueThreshold ? 'drifted' : 'stable';
    const report: DriftReport = {
      model,
      at: new Date().toISOString(),
      verdict,
      thresholds: { psi: psiThreshold, pValue: pValueThreshold, minSamples },
      ...comparison,
    };
    await this.redis.pipeline().lpush(this.key(model), JSON.stringify(report)).ltrim(this.key(model), 0, this.config.keepReports - 1).exec();
    this.psi.set({ model }, report.psi);
    this.pValue.set({ model }, report.pValue);
    this.samples.set({ model }, report.samples);
    const line = `${model}: PSI ${report.psi}, chi-square ${report.chiSquare} (p ${report.pValue}) over ${report.samples} predictions`;
    if (verdict === 'drifted') this.logger.warn(`drift detected: ${line}`);
    else this.logger.log(`${verdict}: ${line}`);
    return report;
  }

  /** Newest first. */
  async recent(model: string): Promise<DriftReport[]> {
    const raw = await this.redis.lrange(this.key(model), 0, this.config.keepReports - 1);
    return raw.map((r) => JSON.parse(r) as DriftReport);
  }

  /** Read from model.json, so a process that serves no models (the scheduler) can report too. */
  private async referenceOf(model: string): Promise<Record<string, number> | undefined> {
    return (await this.repository.read(model)).config.reference?.classDistribution;
  }

  private key(model: string): string {
    return `${this.redisConfig.keyPrefix}:drift:${model}:reports`;
  }
}

import { Injectable } from '@nestjs/common';
import { DriftReports } from '@app/drift';
import { MaintenanceTask, modelsOption } from '../maintenance-task';

/** A drift report for every model with a reference distribution (or the named ones). */
@Injectable()
export class DriftReportTask implements MaintenanceTask {
  readonly name = 'drift-report';

  constructor(private readonly drift: DriftReports) {}

  async run(options: Record<string, unknown>) {
    const models = modelsOption(options) ?? (await this.drift.comparableModels());
    const reports = [];
    for (const model of models) {
      const r = await this.drift.report(model);
      reports.push({ model, verdict: r.verdict, samples: r.samples, psi: r.psi, pValue: r.pValue });
    }
    return { reports };
  }
}

import { MaintenanceJobName } from '@app/config';

/** One kind of scheduled job; `run` gets the schedule's options from schedules.yaml. */
export interface MaintenanceTask {
  readonly name: MaintenanceJobName;
  run(options: Record<string, unknown>): Promise<unknown>;
}

export const MAINTENANCE_TASKS = Symbol('MAINTENANCE_TASKS');

/** `options.models`: a list of model names, or every model of the repository when absent. */
export function modelsOption(options: Record<string, unknown>): string[] | undefined {
  const models = options.models;
  if (models === undefined) return undefined;
  if (!Array.isArray(models) || models.some((m) => typeof m !== 'string')) throw new Error('options.models must be a list of model names');
  return models as string[];
}

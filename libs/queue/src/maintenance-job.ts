/** The payload of a job on the maintenance queue, from a job scheduler or from a "run now". */
export interface MaintenanceJobData {
  /** The schedule it belongs to (its last run is recorded under this name). */
  schedule: string;
  /** The schedule's options from schedules.yaml. */
  options: Record<string, unknown>;
}

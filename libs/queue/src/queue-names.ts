/** Direct routing: one queue per model, so a model's backlog never delays another's jobs. */
export const predictQueueName = (model: string): string => `predict.${model}`;

/** The scheduler's own jobs (repository sync, reference refresh, batch scoring, drift report, cleanup). */
export const MAINTENANCE_QUEUE = 'maintenance';

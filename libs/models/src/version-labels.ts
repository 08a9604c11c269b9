import { NotFoundError } from '@app/errors';

/** model.json `versionLabels` names: URL-safe, as they appear in /v1/models/{name}/labels/{label}. */
export const VERSION_LABEL_PATTERN = /^[a-z0-9_-]{1,64}$/;

/** Label -> version, as TF Serving's `version_labels` in a model config. */
export type VersionLabels = Readonly<Record<string, number>>;

/** The version `label` names; 404 for a label the model does not declare. */
export function versionOfLabel(labels: VersionLabels | undefined, model: string, label: string): number {
  if (labels && Object.prototype.hasOwnProperty.call(labels, label)) return labels[label];
  const known = Object.keys(labels ?? {});
  const shown = label.length > 64 ? `${label.slice(0, 64)}…` : label;
  throw new NotFoundError(
    `model '${model}' has no version label '${shown}' (${known.length > 0 ? `its labels: ${known.slice(0, 20).join(', ')}` : 'its model.json declares no versionLabels'})`,
  );
}

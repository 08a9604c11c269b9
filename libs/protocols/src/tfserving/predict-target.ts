import { InvalidInputError, NotFoundError } from '@app/errors';

/** The methods of TF Serving's REST API that take a body (https://www.tensorflow.org/tfx/serving/api_rest). */
export const TFSERVING_VERBS = ['predict', 'classify', 'regress'] as const;
export type TfServingVerb = (typeof TFSERVING_VERBS)[number];

/** What a TF Serving URL names: a model, and at most one of a version or a version label. */
export interface TfServingTarget {
  model: string;
  version?: number;
  label?: string;
}

/**
 * TF Serving puts the method after a colon in the last path segment (`iris:predict`, `3:classify`,
 * `stable:regress`); Fastify cannot route on a literal colon after a plain parameter, so the segment is taken
 * whole and split here.
 */
export function splitVerb(segment: string): { head: string; verb: TfServingVerb } {
  const at = segment.lastIndexOf(':');
  if (at <= 0) throw new NotFoundError(`no route for '${shorten(segment)}': append a method, as in /v1/models/<name>:predict`);
  const verb = segment.slice(at + 1);
  if (!(TFSERVING_VERBS as readonly string[]).includes(verb)) {
    throw new NotFoundError(`method ':${shorten(verb)}' is not served; modelgate serves :predict, :classify and :regress`);
  }
  return { head: segment.slice(0, at), verb: verb as TfServingVerb };
}

export function parseVersion(text: string): number {
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new InvalidInputError(`version must be a positive integer, got '${text.slice(0, 40)}'`, 'version');
  return Number(text);
}

const shorten = (text: string) => (text.length > 64 ? `${text.slice(0, 64)}…` : text);

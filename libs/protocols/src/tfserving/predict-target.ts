import { InvalidInputError, NotFoundError } from '@app/errors';

/**
 * TF Serving puts the method after a colon in the last path segment (`iris:predict`, `3:predict`); Fastify
 * cannot route on a literal colon after a parameter, so the segment is taken whole and split here.
 */
export function splitVerb(segment: string): { head: string; verb: string } {
  const at = segment.lastIndexOf(':');
  if (at <= 0) throw new NotFoundError(`no route for '${segment}': append a method, as in /v1/models/<name>:predict`);
  const verb = segment.slice(at + 1);
  if (verb !== 'predict') {
    throw new NotFoundError(`method ':${verb}' is not served; modelgate serves :predict (use it for classification and regression alike)`);
  }
  return { head: segment.slice(0, at), verb };
}

export function parseVersion(text: string): number {
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new InvalidInputError(`version must be a positive integer, got '${text.slice(0, 40)}'`, 'version');
  return Number(text);
}

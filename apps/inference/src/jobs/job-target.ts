import { InvalidInputError } from '@app/errors';
import { parseVersion } from '@app/protocols';

export interface JobTarget {
  model: string;
  /** Absent: the newest version available when the job runs. */
  version?: number;
}

/**
 * Topic-style routing, reduced to what a model server needs: a job names `name` (whatever version is
 * newest when it runs) or `name@version` (that version). Both go to the model's one queue.
 */
export function parseJobTarget(name: string, version?: string): JobTarget {
  const at = name.indexOf('@');
  if (at < 0) return { model: name, ...(version !== undefined ? { version: parseVersion(version) } : {}) };
  if (version !== undefined) throw new InvalidInputError(`name the version once: '${name}' already has one, and the path adds /versions/${version}`, 'version');
  return { model: name.slice(0, at), version: parseVersion(name.slice(at + 1)) };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) throw new InvalidInputError('Idempotency-Key must be 1 to 255 visible ASCII characters', 'Idempotency-Key');
  return key;
}

/** RFC 7240: `Prefer: respond-async` (among other preferences, any case). */
export function prefersAsync(prefer: string | string[] | undefined): boolean {
  const values = Array.isArray(prefer) ? prefer : prefer ? [prefer] : [];
  return values.some((v) => v.split(',').some((p) => p.split(';')[0].trim().toLowerCase() === 'respond-async'));
}

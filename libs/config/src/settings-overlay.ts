/** A check of one setting and the words that say what it must be ("must be an integer >= 1"). */
export type SettingRule = readonly [accepts: (value: unknown) => boolean, requirement: string];
export type SettingRules<T> = { readonly [K in keyof T]: SettingRule };

export const isIntAtLeast1 = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;
export const oneOf = (allowed: readonly string[]): SettingRule => [(v) => allowed.includes(v as string), `must be one of ${allowed.join(', ')}`];

/**
 * Overlays `raw` (a model.json block such as `batching` or `cache`) on `defaults` (the server's section)
 * and checks every field against its rule. Throws a plain Error naming `<section>.<field>`, which the
 * caller wraps with where the value came from. Unknown fields are refused: a typo would otherwise be
 * silently ignored.
 */
export function overlaySettings<T extends object>(section: string, rules: SettingRules<T>, raw: unknown, defaults: Readonly<T>): T {
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    throw new Error(`${section} must be an object, got ${JSON.stringify(raw)}`);
  }
  const known = Object.keys(rules) as Array<keyof T & string>;
  const overrides = (raw ?? {}) as Record<string, unknown>;
  const unknownField = Object.keys(overrides).find((k) => !(known as string[]).includes(k));
  if (unknownField !== undefined) {
    throw new Error(`${section}.${unknownField} is not a ${section} setting (known: ${known.join(', ')})`);
  }
  const merged: Record<string, unknown> = {};
  for (const field of known) {
    const value = overrides[field] !== undefined ? overrides[field] : defaults[field];
    const [accepts, requirement] = rules[field];
    if (!accepts(value)) throw new Error(`${section}.${field} ${requirement}, got ${JSON.stringify(value)}`);
    merged[field] = value;
  }
  return merged as T;
}

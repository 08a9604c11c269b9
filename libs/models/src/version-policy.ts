import { VersionPolicy } from './model-config';

/** The versions a policy serves out of those on disk (TF Serving's latest / specific / all). */
export function selectVersions(onDisk: readonly number[], policy: VersionPolicy): number[] {
  const sorted = [...onDisk].sort((a, b) => a - b);
  if ('all' in policy) return sorted;
  if ('specific' in policy) return sorted.filter((v) => policy.specific.includes(v));
  return sorted.slice(Math.max(0, sorted.length - policy.latest));
}

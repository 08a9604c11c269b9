import * as path from 'path';

/** The repository root, whatever directory a script is started from. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function repoPath(...segments: string[]): string {
  return path.join(REPO_ROOT, ...segments);
}

/**
 * Where training writes models/ and scripts/data/: the repository, or MODELS_BUILD_ROOT when set (the
 * reproducibility test builds into a temporary folder and compares with the committed files).
 */
export function outputPath(...segments: string[]): string {
  return path.join(process.env.MODELS_BUILD_ROOT ? path.resolve(process.env.MODELS_BUILD_ROOT) : REPO_ROOT, ...segments);
}

import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

let cached: string | undefined;

/**
 * modelgate's version from its package.json, found by walking up from this file: the same code runs from
 * apps/ under ts-node and Jest and from dist/apps/ once built, at different depths.
 */
export function serverVersion(): string {
  if (cached !== undefined) return cached;
  let dir = __dirname;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'modelgate' && pkg.version) return (cached = pkg.version);
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = 'unknown');
    dir = parent;
  }
}

import * as fs from 'fs';
import * as path from 'path';

/**
 * Writers for everything the scripts commit. Their bytes must depend only on the data: callers build
 * objects in a fixed key order and round numbers before writing.
 */
export function writeJsonFile(file: string, value: unknown): void {
  writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function writeJsonLines(file: string, rows: readonly unknown[]): void {
  writeFile(file, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
}

export function writeFile(file: string, contents: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, contents);
}

export function readJsonLines<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * Fractions of each label, rounded to `decimals` by largest remainder so that they still sum to 1
 * (plain rounding of three thirds would give 0.9999).
 */
export function roundedDistribution(labels: readonly string[], counts: readonly number[], decimals = 4): Record<string, number> {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const unit = 10 ** decimals;
  const exact = counts.map((n) => (n / total) * unit);
  const units = exact.map(Math.floor);
  const byRemainder = exact.map((_, i) => i).sort((a, b) => exact[b] - units[b] - (exact[a] - units[a]) || a - b);
  for (let k = 0; units.reduce((sum, n) => sum + n, 0) < unit; k++) units[byRemainder[k]]++;
  return Object.fromEntries(labels.map((label, i) => [label, units[i] / unit]));
}

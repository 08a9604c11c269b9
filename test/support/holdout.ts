import { readFileSync } from 'fs';
import { join } from 'path';
import { ROOT } from './test-config';

/** The hold-out rows a training script kept out of training (scripts/data/<model>.holdout.jsonl). */
export function holdout<T = Record<string, unknown>>(model: 'iris' | 'name-gender' | 'spam'): T[] {
  return readFileSync(join(ROOT, 'scripts/data', `${model}.holdout.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

import { existsSync } from 'fs';
import { isAbsolute, join, resolve } from 'path';
import { PACKAGE_ROOT } from '../cli-config';
import { readDataFile } from '../data/data-file';
import { Example, ExampleOptions, toExamples } from '../data/examples';
import { ModelInfo } from '../server/model-info';

export interface TestData {
  /** The file the rows came from; undefined when there is none and only made-up inputs are sent. */
  file?: string;
  examples: Example[];
}

/**
 * The rows to test with: `--data`, else the hold-out file model.json's reference names (resolved from the
 * working directory, then the checkout), else model.json's own `examples`, else none.
 */
export function loadTestData(model: ModelInfo, dataFile: string | undefined, options: ExampleOptions): TestData {
  const file = dataFile ?? holdoutFile(model);
  if (file) return { file, examples: toExamples(readDataFile(file), model, file, options) };
  if (model.examples?.length) {
    const records = model.examples.map((fields, i) => ({ line: i + 1, fields }));
    return { file: 'model.json examples', examples: toExamples(records, model, 'model.json examples', options) };
  }
  return { examples: [] };
}

function holdoutFile(model: ModelInfo): string | undefined {
  const named = model.reference?.holdoutFile;
  if (typeof named !== 'string') return undefined;
  if (isAbsolute(named)) return existsSync(named) ? named : undefined;
  return [resolve(named), join(PACKAGE_ROOT, named)].find((f) => existsSync(f));
}

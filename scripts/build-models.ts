/**
 * Trains every committed model of the default repository, in a fixed order. Running it twice gives
 * byte-identical models/, model.json and hold-out files.
 * Run: npm run models:build
 */
import { trainIris } from './train-iris';
import { trainNameGender } from './train-name-gender';
import { trainSpam } from './train-spam';
import { printSummary } from './lib/training-summary';

async function buildModels(): Promise<void> {
  const started = Date.now();
  for (const train of [trainIris, trainNameGender, trainSpam]) printSummary(await train());
  console.log(`all models built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

buildModels().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

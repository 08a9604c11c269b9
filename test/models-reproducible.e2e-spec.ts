import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ROOT } from './support/test-config';

const FILES = [
  'models/iris/1/model.onnx',
  'models/iris/model.json',
  'scripts/data/iris.holdout.jsonl',
  'models/name-gender/1/model.onnx',
  'models/name-gender/model.json',
  'scripts/data/name-gender.holdout.jsonl',
  'models/spam/1/model.onnx',
  'models/spam/model.json',
  'scripts/data/spam.holdout.jsonl',
];

describe('the default model repository', () => {
  it('is what `npm run models:build` builds, byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'modelgate-models-build-'));
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'scripts/build-models.ts'], {
      cwd: ROOT,
      env: { ...process.env, MODELS_BUILD_ROOT: out },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    for (const file of FILES) {
      const built = readFileSync(join(out, file));
      const committed = readFileSync(join(ROOT, file));
      expect({ file, same: built.equals(committed) }).toEqual({ file, same: true });
    }
  }, 300_000);
});

import { existsSync } from 'fs';
import { join } from 'path';
import { buildMlpBench } from '../../scripts/build-mlp-bench';
import { ROOT } from './test-config';

/** The generated benchmark model (784-2048-2048-10), built into .build/models on first use (~1 s). */
export function ensureMlpBench(): string {
  const dir = join(ROOT, '.build/models');
  if (!existsSync(join(dir, 'mlp-bench/1/model.onnx'))) buildMlpBench(dir);
  return join(dir, 'mlp-bench');
}

/** A deterministic 784-value row, different for each seed. */
export function mlpRow(seed: number): number[] {
  return Array.from({ length: 784 }, (_, i) => ((i * 31 + seed * 17) % 97) / 97);
}

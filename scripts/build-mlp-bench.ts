/**
 * mlp-bench: a generated 784-2048-2048-10 dense network with fixed random weights, for benchmarks
 * (about 5.8 M parameters, ~23 MB: big enough that batching matters). Not committed; built when needed.
 * Run: npx ts-node --transpile-only -r tsconfig-paths/register scripts/build-mlp-bench.ts [outDir]
 */
import * as path from 'path';
import { OnnxGraphBuilder } from './onnx/onnx-graph-builder';
import { ModelJson, orderedModelJson } from './lib/model-json';
import { writeFile, writeJsonFile } from './lib/output-files';
import { repoPath } from './lib/paths';
import { mulberry32 } from './lib/prng';

const LAYER_SIZES = [784, 2048, 2048, 10];
const SEED = 42;
const DEFAULT_OUT_DIR = '.build/models';

export function buildMlpBench(outDir: string): { modelFile: string; modelBytes: number } {
  const random = mulberry32(SEED);
  const builder = new OnnxGraphBuilder('mlp_bench', 'Benchmark MLP 784-2048-2048-10 with fixed random weights')
    .input('input', ['batch', LAYER_SIZES[0]])
    .output('probabilities', ['batch', LAYER_SIZES[LAYER_SIZES.length - 1]]);
  let activation = 'input';
  for (let layer = 1; layer < LAYER_SIZES.length; layer++) {
    const [fanIn, fanOut] = [LAYER_SIZES[layer - 1], LAYER_SIZES[layer]];
    const last = layer === LAYER_SIZES.length - 1;
    // He-uniform (variance 2 / fanIn) keeps activations from dying or exploding through the ReLUs; the
    // last layer uses variance 1 / fanIn so the softmax is neither one-hot nor uniform. Uniform rather
    // than Gaussian: no Math.log/cos, so nothing but the generator decides the bits.
    const limit = Math.sqrt((last ? 3 : 6) / fanIn);
    builder
      .initializer(`w${layer}`, [fanIn, fanOut], uniformValues(fanIn * fanOut, limit, random))
      .initializer(`b${layer}`, [fanOut], uniformValues(fanOut, 0.01, random))
      .matMul(activation, `w${layer}`, `linear${layer}`)
      .add(`linear${layer}`, `b${layer}`, last ? 'logits' : `preactivation${layer}`);
    if (!last) builder.relu(`preactivation${layer}`, `hidden${layer}`);
    activation = `hidden${layer}`;
  }
  builder.softmax('logits', 'probabilities');

  const modelFile = path.join(outDir, 'mlp-bench', '1', 'model.onnx');
  const bytes = builder.build();
  writeFile(modelFile, bytes);
  const modelJson: ModelJson = {
    description: 'Benchmark model: dense 784-2048-2048-10 MLP with fixed random weights (answers tensors)',
    outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, LAYER_SIZES[LAYER_SIZES.length - 1]] }],
    versionPolicy: { latest: 1 },
    instances: 1,
    threads: 1,
  };
  writeJsonFile(path.join(outDir, 'mlp-bench', 'model.json'), orderedModelJson(modelJson));
  return { modelFile, modelBytes: bytes.length };
}

function uniformValues(count: number, limit: number, random: () => number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (2 * random() - 1) * limit;
  return values;
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? repoPath(DEFAULT_OUT_DIR));
  const started = Date.now();
  const { modelFile, modelBytes } = buildMlpBench(outDir);
  console.log(`mlp-bench: ${modelFile}, ${modelBytes} bytes, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

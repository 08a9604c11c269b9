import { createHash } from 'crypto';
import { createReadStream } from 'fs';
import { pipeline } from 'stream/promises';
import { ModelConfig } from './model-config';

/**
 * What a version computes from its public inputs, as a short hash: the bytes of model.onnx plus the parts
 * of model.json that shape the raw outputs (declared inputs and outputs, preprocess transforms). Labels
 * and the rest of postprocess are left out: they apply after the cache. Two replicas that serve the same
 * version number from different files get different hashes, so a cache shared between them never hands
 * one the other's answers. The file is streamed, so a large model does not block the event loop.
 */
export async function contentHash(modelPath: string, config: ModelConfig): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(modelPath), hash, { end: false });
  hash.update(JSON.stringify({ inputs: config.inputs ?? null, outputs: config.outputs ?? null, preprocess: config.preprocess }));
  return hash.digest('base64url').slice(0, 16);
}

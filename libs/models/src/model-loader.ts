import { ModelLoadError } from '@app/errors';
import { contentHash } from './content-hash';
import { ModelFiles, ModelRepository, VersionFiles } from './repository/model-repository';
import { ModelVersion } from './model-version';
import { InstanceEvent, InstancePool, ModelRuntime } from './runtime/model-runtime';
import { deriveSignature } from './signature';
import { allocate, elementCount, TensorMap, TensorSpec } from './tensor';

export interface LoadDefaults {
  instances: number;
  threads: number;
  warmup: boolean;
}

export interface LoadHooks {
  onInstanceEvent?: (event: InstanceEvent) => void;
  onWarning?: (message: string) => void;
}

/** Starts a version's instances, checks its signature and labels, warms it up. Throws ModelLoadError. */
export async function loadModelVersion(
  runtime: ModelRuntime,
  repository: ModelRepository,
  files: ModelFiles,
  version: VersionFiles,
  defaults: LoadDefaults,
  hooks: LoadHooks = {},
): Promise<ModelVersion> {
  const { config } = files;
  const id = `${files.name}@${version.version}`;
  const instances = config.instances ?? defaults.instances;
  const threads = config.threads ?? defaults.threads;
  // Hashed while the instances start; awaited below, where a failure also closes the pool.
  const hashing = contentHash(version.modelPath, config);
  hashing.catch(() => undefined);
  let pool: InstancePool;
  try {
    pool = await runtime.start({
      modelPath: version.modelPath,
      instances,
      threads,
      executionProvider: config.executionProvider,
      fallback: config.fallback,
      onInstanceEvent: hooks.onInstanceEvent,
    });
  } catch (error) {
    throw new ModelLoadError(`${id}: cannot load model.onnx: ${(error as Error).message}`);
  }
  try {
    const hash = await hashing;
    if (pool.metadata.warning) hooks.onWarning?.(`${id}: ${pool.metadata.warning}`);
    const signature = deriveSignature(config, pool.metadata.inputs, pool.metadata.outputs);
    const labels = await readLabels(repository, files);
    const servable = new ModelVersion(files.name, version.version, config, signature, pool, {
      instances,
      threads,
      provider: pool.metadata.provider,
    }, version.bytes, hash, labels);
    checkLabels(servable);
    if (config.warmup ?? defaults.warmup) await warmup(servable);
    return servable;
  } catch (error) {
    await pool.close();
    throw new ModelLoadError(`${id}: ${(error as Error).message}`);
  }
}

export async function readLabels(repository: ModelRepository, files: ModelFiles): Promise<string[] | undefined> {
  const post = files.config.postprocess;
  if (!post) return undefined;
  if (!post.labelsFile) return post.labels;
  const text = await repository.readModelFile(files.name, post.labelsFile);
  const labels = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (labels.length === 0) throw new Error(`${post.labelsFile} holds no labels`);
  return labels;
}

function checkLabels(servable: ModelVersion): void {
  const post = servable.config.postprocess;
  if (!post || !servable.labels) return;
  const output = servable.signature.graphOutputs.find((o) => o.name === post.output)!;
  const classes = output.shape[output.shape.length - 1];
  if (output.shape.length !== 2) throw new Error(`postprocess output '${post.output}' must be [batch, classes]`);
  if (classes !== -1 && classes !== servable.labels.length) {
    throw new Error(`postprocess output '${post.output}' has ${classes} classes but ${servable.labels.length} labels are declared`);
  }
}

/** One request of one row per instance, so no client request pays for a cold session. */
async function warmup(servable: ModelVersion): Promise<void> {
  await Promise.all(
    Array.from({ length: servable.plan.instances }, async () => {
      const outputs = await servable.run(servable.preprocess(sampleInputs(servable.signature.inputs)));
      servable.classify(outputs);
    }),
  );
}

export function sampleInputs(inputs: TensorSpec[]): TensorMap {
  const tensors: TensorMap = {};
  for (const spec of inputs) {
    const dims = spec.shape.map((d) => (d === -1 ? 1 : d));
    const data = allocate(spec.datatype, elementCount(dims));
    if (Array.isArray(data)) data.fill('warmup');
    tensors[spec.name] = { datatype: spec.datatype, dims, data };
  }
  return tensors;
}

import { DATATYPES, Datatype, TensorSpec } from './tensor';
import { TextFeaturesSpec, validateTextFeaturesSpec } from './transforms/text-features';
import { VERSION_LABEL_PATTERN, VersionLabels } from './version-labels';

/** models/<name>/model.json. Everything is optional: an ONNX file alone is a servable model. */
export interface ModelConfig {
  description?: string;
  /** Public inputs (what clients send); default: the ONNX graph's inputs. */
  inputs?: TensorSpec[];
  outputs?: TensorSpec[];
  preprocess: TextFeaturesSpec[];
  postprocess?: ClassificationSpec;
  versionPolicy: VersionPolicy;
  /** TF Serving's version labels (`{"stable": 1, "canary": 2}`): /v1/models/{name}/labels/{label} serves that version. */
  versionLabels?: VersionLabels;
  /** Validated by the batching library against the server's defaults. */
  batching: Record<string, unknown>;
  /** Validated by the caching library against the server's defaults. */
  cache: Record<string, unknown>;
  instances?: number;
  threads?: number;
  executionProvider: 'cpu' | 'cuda';
  fallback?: 'cpu';
  warmup?: boolean;
  /** `queue`: :predict is answered through the job queue (inference off the API machines). */
  route: 'inline' | 'queue';
  reference?: ModelReference;
  /**
   * Rows with the answer they should get, in the form of a data file's rows (`{"features": [...], "label":
   * "setosa"}`): what `modelgate test` checks when no data file is given. At most 1,000.
   */
  examples?: Record<string, unknown>[];
  /** The p99 latency in milliseconds the model must stay under; `modelgate test` holds its load to it. */
  sloP99Ms?: number;
}

export interface ClassificationSpec {
  type: 'classification';
  /** The output holding one score per class. */
  output: string;
  labels?: string[];
  /** A file of labels, one per line, relative to the model folder; re-read by reference refresh. */
  labelsFile?: string;
  topK?: number;
  /** Set when the output holds logits rather than probabilities. */
  softmax?: boolean;
}

export type VersionPolicy = { latest: number } | { specific: number[] } | { all: true };

/** Statistics the training script measured; statistical tests and drift reports compare against them. */
export interface ModelReference {
  classDistribution?: Record<string, number>;
  holdoutAccuracy?: number;
  [key: string]: unknown;
}

const KEYS = [
  'description', 'inputs', 'outputs', 'preprocess', 'postprocess', 'versionPolicy', 'versionLabels', 'batching', 'cache',
  'instances', 'threads', 'executionProvider', 'fallback', 'warmup', 'route', 'reference', 'examples', 'sloP99Ms',
];

const MAX_EXAMPLES = 1000;

/** Throws a plain Error whose message names the field; the registry wraps it with the file's path. */
export function parseModelConfig(raw: unknown): ModelConfig {
  const obj = asObject(raw ?? {}, 'model.json');
  const unknown = Object.keys(obj).find((k) => !KEYS.includes(k));
  if (unknown) throw new Error(`unknown field '${unknown}' (known: ${KEYS.join(', ')})`);
  const config: ModelConfig = {
    description: optional(obj.description, 'description', (v) => asString(v, 'description')),
    inputs: optional(obj.inputs, 'inputs', (v) => asSpecs(v, 'inputs')),
    outputs: optional(obj.outputs, 'outputs', (v) => asSpecs(v, 'outputs')),
    preprocess: asArray(obj.preprocess ?? [], 'preprocess').map((p, i) => asTransform(p, `preprocess[${i}]`)),
    postprocess: optional(obj.postprocess, 'postprocess', asClassification),
    versionPolicy: asVersionPolicy(obj.versionPolicy ?? { latest: 1 }),
    versionLabels: optional(obj.versionLabels, 'versionLabels', asVersionLabels),
    batching: asObject(obj.batching ?? {}, 'batching'),
    cache: asObject(obj.cache ?? {}, 'cache'),
    instances: optional(obj.instances, 'instances', (v) => asInt(v, 'instances', 1, 64)),
    threads: optional(obj.threads, 'threads', (v) => asInt(v, 'threads', 1, 256)),
    executionProvider: asEnum(obj.executionProvider ?? 'cpu', 'executionProvider', ['cpu', 'cuda'] as const),
    fallback: optional(obj.fallback, 'fallback', (v) => asEnum(v, 'fallback', ['cpu'] as const)),
    warmup: optional(obj.warmup, 'warmup', (v) => asBool(v, 'warmup')),
    route: asEnum(obj.route ?? 'inline', 'route', ['inline', 'queue'] as const),
    reference: optional(obj.reference, 'reference', (v) => asObject(v, 'reference') as ModelReference),
    examples: optional(obj.examples, 'examples', asExamples),
    sloP99Ms: optional(obj.sloP99Ms, 'sloP99Ms', (v) => asPositiveNumber(v, 'sloP99Ms')),
  };
  return config;
}

function asExamples(raw: unknown): Record<string, unknown>[] {
  const rows = asArray(raw, 'examples');
  if (rows.length > MAX_EXAMPLES) throw new Error(`examples has ${rows.length} rows, at most ${MAX_EXAMPLES}`);
  return rows.map((row, i) => asObject(row, `examples[${i}]`));
}

function asPositiveNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`${field} must be a number above 0, got ${JSON.stringify(value)}`);
  return value;
}

function asTransform(raw: unknown, field: string): TextFeaturesSpec {
  const obj = asObject(raw, field);
  if (obj.type !== 'text-features') throw new Error(`${field}.type must be 'text-features', got ${JSON.stringify(obj.type)}`);
  try {
    return validateTextFeaturesSpec(obj);
  } catch (error) {
    throw new Error(`${field}: ${(error as Error).message}`);
  }
}

function asClassification(raw: unknown): ClassificationSpec {
  const obj = asObject(raw, 'postprocess');
  if (obj.type !== 'classification') throw new Error(`postprocess.type must be 'classification', got ${JSON.stringify(obj.type)}`);
  const spec: ClassificationSpec = {
    type: 'classification',
    output: asString(obj.output, 'postprocess.output'),
    labels: optional(obj.labels, 'postprocess.labels', (v) =>
      asArray(v, 'postprocess.labels').map((l, i) => asString(l, `postprocess.labels[${i}]`)),
    ),
    labelsFile: optional(obj.labelsFile, 'postprocess.labelsFile', (v) => asString(v, 'postprocess.labelsFile')),
    topK: optional(obj.topK, 'postprocess.topK', (v) => asInt(v, 'postprocess.topK', 1, 100000)),
    softmax: optional(obj.softmax, 'postprocess.softmax', (v) => asBool(v, 'postprocess.softmax')),
  };
  if (!spec.labels && !spec.labelsFile) throw new Error('postprocess needs labels or labelsFile');
  if (spec.labelsFile && /(^|[\\/])\.\.([\\/]|$)|^[\\/]/.test(spec.labelsFile)) {
    throw new Error('postprocess.labelsFile must be a path inside the model folder');
  }
  return spec;
}

function asVersionPolicy(raw: unknown): VersionPolicy {
  const obj = asObject(raw, 'versionPolicy');
  const keys = Object.keys(obj);
  if (keys.length !== 1) throw new Error(`versionPolicy must have exactly one of latest, specific, all`);
  if ('latest' in obj) return { latest: asInt(obj.latest, 'versionPolicy.latest', 1, 1000) };
  if ('specific' in obj) {
    const versions = asArray(obj.specific, 'versionPolicy.specific').map((v, i) =>
      asInt(v, `versionPolicy.specific[${i}]`, 1, Number.MAX_SAFE_INTEGER),
    );
    if (versions.length === 0) throw new Error('versionPolicy.specific must list at least one version');
    return { specific: versions };
  }
  if ('all' in obj && obj.all === true) return { all: true };
  throw new Error(`versionPolicy must be {"latest": N}, {"specific": [..]} or {"all": true}`);
}

function asVersionLabels(raw: unknown): VersionLabels {
  const obj = asObject(raw, 'versionLabels');
  const labels: Record<string, number> = {};
  for (const [label, version] of Object.entries(obj)) {
    if (!VERSION_LABEL_PATTERN.test(label)) {
      throw new Error(`versionLabels: label ${JSON.stringify(label.slice(0, 80))} must be 1 to 64 of a-z, 0-9, '_' and '-'`);
    }
    labels[label] = asInt(version, `versionLabels.${label}`, 1, Number.MAX_SAFE_INTEGER);
  }
  return labels;
}

function asSpecs(raw: unknown, field: string): TensorSpec[] {
  return asArray(raw, field).map((item, i) => {
    const obj = asObject(item, `${field}[${i}]`);
    const shape = asArray(obj.shape, `${field}[${i}].shape`).map((d, j) =>
      asInt(d, `${field}[${i}].shape[${j}]`, -1, Number.MAX_SAFE_INTEGER),
    );
    if (shape.some((d) => d === 0)) throw new Error(`${field}[${i}].shape must not contain 0`);
    return {
      name: asString(obj.name, `${field}[${i}].name`),
      datatype: asEnum(obj.datatype, `${field}[${i}].datatype`, DATATYPES) as Datatype,
      shape,
    };
  });
}

function optional<T>(value: unknown, _field: string, parse: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}
function asObject(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${field} must be an object`);
  return value as Record<string, unknown>;
}
function asArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${field} must be an array`);
  return value;
}
function asString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${field} must be a non-empty string`);
  return value;
}
function asBool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${field} must be true or false`);
  return value;
}
function asInt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}
function asEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new Error(`${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

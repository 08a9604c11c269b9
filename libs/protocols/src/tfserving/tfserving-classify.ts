import type { InferResult } from '@app/dataplane';
import { InternalError, InvalidInputError } from '@app/errors';
import { allocate, elementCount, formatShape, ModelVersion, TensorMap, TensorSpec } from '@app/models';
import { writeElement } from '../json/element-writer';
import { flatToJson } from '../json/json-tensor';

/** The two methods of TF Serving's REST API that take `tf.Example`s instead of tensors. */
export type ExamplesVerb = 'classify' | 'regress';

export interface DecodedExamples {
  tensors: TensorMap;
  rows: number;
}

const BODY_FIELDS = ['signature_name', 'context', 'examples'];
const NUMERIC = new Set(['FP32', 'FP64', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8']);

/**
 * Decodes a TF Serving :classify / :regress body, `{"signature_name"?, "context"?, "examples": [...]}`, against
 * the model's inputs. An example is a feature map, as TF Serving's JSON form of `tf.Example`: each feature is a
 * value or a flat list of values, and a feature is the input of the same name (a model with one input
 * `features` of shape [-1, 4] takes `{"features": [5.1, 3.5, 1.4, 0.2]}`). `context` holds features shared by
 * every example; a feature in both is taken from the example, which is what TF Serving's merge of the two
 * serialized Examples does (input.proto leaves duplicates undefined; the doc says they MUST NOT occur).
 */
export function decodeExamples(body: unknown, inputs: TensorSpec[], verb: ExamplesVerb): DecodedExamples {
  if (!isObject(body)) throw new InvalidInputError(`request body must be a JSON object with "examples" (a list of feature maps)`);
  const unknown = Object.keys(body).find((k) => !BODY_FIELDS.includes(k));
  if (unknown !== undefined) throw new InvalidInputError(`unknown field '${unknown}' (a :${verb} body holds ${BODY_FIELDS.join(', ')})`, unknown);
  checkSignature(body.signature_name, verb);
  const context = body.context === undefined ? {} : body.context;
  if (!isObject(context)) throw new InvalidInputError('context must be an object of features shared by every example', 'context');
  const examples = body.examples;
  if (examples === undefined) throw new InvalidInputError(`:${verb} needs "examples": a list of feature maps, one per example`, 'examples');
  if (!Array.isArray(examples) || examples.length === 0) throw new InvalidInputError('examples must be a non-empty list of feature maps', 'examples');
  examples.forEach((example, i) => {
    if (!isObject(example)) throw new InvalidInputError(`examples[${i}] must be an object of features (${names(inputs)})`, `examples[${i}]`);
  });
  rejectUnknownFeatures(context, 'context', inputs);
  examples.forEach((example, i) => rejectUnknownFeatures(example as Record<string, unknown>, `examples[${i}]`, inputs));

  const rows = examples.length;
  const tensors: TensorMap = {};
  for (const spec of inputs) {
    const featureAt = (i: number): { value: unknown; where: string } => {
      const example = examples[i] as Record<string, unknown>;
      if (has(example, spec.name)) return { value: example[spec.name], where: `examples[${i}].${spec.name}` };
      if (has(context, spec.name)) return { value: context[spec.name], where: `context.${spec.name}` };
      throw new InvalidInputError(`examples[${i}]: missing feature '${spec.name}' (in the example or in context)`, `examples[${i}].${spec.name}`);
    };
    const first = featureAt(0);
    const rowShape = rowShapeOf(spec, valuesOf(first.value, first.where).length, first.where);
    const perRow = elementCount(rowShape);
    const data = allocate(spec.datatype, rows * perRow);
    for (let i = 0; i < rows; i++) {
      const { value, where } = i === 0 ? first : featureAt(i);
      const values = valuesOf(value, where);
      if (values.length !== perRow) {
        throw new InvalidInputError(
          `${where}: input '${spec.name}' takes ${perRow} value${perRow === 1 ? '' : 's'} per example (shape ${formatShape(rowShape)}, ${spec.datatype}), got ${values.length}`,
          where,
        );
      }
      const scalar = !Array.isArray(value);
      for (let j = 0; j < perRow; j++) writeElement(data, i * perRow + j, values[j], spec.datatype, () => (scalar ? where : `${where}[${j}]`));
    }
    tensors[spec.name] = { datatype: spec.datatype, dims: [rows, ...rowShape], data };
  }
  return { tensors, rows };
}

/** The labels :classify answers with; a 400 saying why for a model that is not a classifier. */
export function classificationLabels(servable: ModelVersion): readonly string[] {
  const labels = servable.labels;
  if (!servable.config.postprocess || !labels) {
    throw new InvalidInputError(
      `model '${servable.name}' is not a classification model: :classify needs a model.json "postprocess" of type classification with labels; use :predict for its outputs`,
    );
  }
  return labels;
}

/** The one output :regress answers with; a 400 saying why for a model that does not give one value per example. */
export function regressionOutput(servable: ModelVersion): TensorSpec {
  const { outputs } = servable.signature;
  const shown = outputs.map((o) => `'${o.name}' ${formatShape(o.shape)}`).join(', ');
  const rule = ':regress needs a model with one numeric output of one value per example (shape [-1] or [-1,1])';
  if (servable.config.postprocess) {
    throw new InvalidInputError(`model '${servable.name}' is a classification model (${shown}); ${rule}; use :classify`);
  }
  const [output] = outputs;
  const oneValue = output && (output.shape.length === 1 || (output.shape.length === 2 && output.shape[1] === 1));
  if (outputs.length !== 1 || !oneValue || !NUMERIC.has(output.datatype)) {
    throw new InvalidInputError(`model '${servable.name}' is not a regression model: ${rule}; it has ${shown}`);
  }
  return output;
}

/** `{"results": [[[label, score], ...], ...]}`: every class of each example, highest score first, as TF Serving answers. */
export function classifyResults(result: InferResult, labels: readonly string[]): { results: [string, number][][] } {
  if (!result.classifications) throw new InternalError(`model '${result.request.servable.id}' answered no classification`);
  const order = new Map(labels.map((label, i) => [label, i]));
  return {
    results: result.classifications.map((c) =>
      // Sorted again: an object keeps integer-like keys ("0", "1") first, whatever their score.
      Object.entries(c.probabilities).sort((a, b) => b[1] - a[1] || order.get(a[0])! - order.get(b[0])!),
    ),
  };
}

/** `{"results": [v, ...]}`: one value per example. */
export function regressResults(result: InferResult, output: TensorSpec): { results: number[] } {
  const tensor = result.outputs[output.name];
  if (!tensor || tensor.data.length !== result.request.rows) {
    throw new InternalError(`regression output '${output.name}' has shape [${tensor?.dims ?? ''}] for ${result.request.rows} examples`);
  }
  return { results: flatToJson(tensor) as number[] };
}

/** The shape of one example's value: the input's without the batch dimension; a free dimension takes the list's length. */
function rowShapeOf(spec: TensorSpec, length: number, where: string): number[] {
  const expected = spec.shape.slice(1);
  const free = expected.filter((d) => d === -1).length;
  if (free === 0) return expected;
  if (expected.length === 1 && length > 0) return [length];
  throw new InvalidInputError(
    `${where}: input '${spec.name}' has shape ${formatShape(expected)} per example, which a flat feature list cannot give; use :predict`,
    where,
  );
}

/** A feature is a value or a flat list of values (TF Serving's Feature: bytes, float or int64 list). */
function valuesOf(value: unknown, where: string): unknown[] {
  const values = Array.isArray(value) ? value : [value];
  const nested = values.findIndex((v) => Array.isArray(v));
  if (nested >= 0) {
    throw new InvalidInputError(`${where}[${nested}]: a feature is a value or a flat list of values, not a nested list (use :predict for tensors)`, `${where}[${nested}]`);
  }
  return values;
}

function checkSignature(name: unknown, verb: ExamplesVerb): void {
  // TF Serving's own example calls :regress with "tensorflow/serving/regress", the method name of its signature.
  const accepted = [undefined, 'serving_default', `tensorflow/serving/${verb}`];
  if (!accepted.includes(name as string | undefined)) {
    throw new InvalidInputError(`signature_name '${String(name).slice(0, 80)}' not found (this model has serving_default, also called tensorflow/serving/${verb})`, 'signature_name');
  }
}

function rejectUnknownFeatures(features: Record<string, unknown>, where: string, inputs: TensorSpec[]): void {
  const unknown = Object.keys(features).find((k) => !inputs.some((s) => s.name === k));
  if (unknown !== undefined) {
    throw new InvalidInputError(`${where}: unknown feature '${unknown.slice(0, 80)}' (the model takes ${names(inputs)})`, `${where}.${unknown.slice(0, 80)}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (obj: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(obj, key);
const names = (inputs: TensorSpec[]) => inputs.map((s) => `'${s.name}'`).join(', ');

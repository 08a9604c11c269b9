import { ModelInfo, TensorSpecView } from '../server/model-info';
import { DataFileError, DataRecord } from './data-file';

export type Expected = string | number | number[];

/** One request's worth of a data row: the TF Serving instance, and what the model should answer if known. */
export interface Example {
  line: number;
  instance: unknown;
  expected?: Expected;
  /** The input, short, for the list of mismatches. */
  summary: string;
}

export interface ExampleOptions {
  /** The field holding the expected answer; default `label`, else `expected`. */
  labelField?: string;
}

/** Fields that are never a model input. */
const NOT_INPUTS = ['label', 'expected', 'id'];

/**
 * Turns data rows into instances of the model's signature: fields named as the inputs, an `instance` field
 * holding the instance as sent, or (one input) the one field that is not the label. Each row is checked
 * against the signature here, so a bad row is reported with its line rather than as a failed request.
 */
export function toExamples(records: DataRecord[], model: ModelInfo, file: string, options: ExampleOptions = {}): Example[] {
  const csv = file.toLowerCase().endsWith('.csv');
  return records.map(({ line, fields }) => {
    const fail = (reason: string): never => {
      throw new DataFileError(file, line, reason);
    };
    const labelField = options.labelField ?? ('label' in fields ? 'label' : 'expected');
    const instance = instanceOf(fields, model.inputs, labelField, csv, fail);
    const raw = fields[labelField];
    const expected = raw === undefined || raw === '' ? undefined : expectedOf(raw, model, labelField, csv, fail);
    return { line, instance, expected, summary: summarise(instance) };
  });
}

function instanceOf(
  fields: Record<string, unknown>,
  inputs: TensorSpecView[],
  labelField: string,
  csv: boolean,
  fail: (reason: string) => never,
): unknown {
  if ('instance' in fields) {
    const value = csv ? parseCell(fields.instance, 'instance', fail) : fields.instance;
    if (inputs.length === 1 && !(isObject(value) && inputs[0].name in value)) checkValue(value, inputs[0], 'instance', fail);
    return value;
  }
  const named = inputs.every((spec) => spec.name in fields);
  if (named) {
    const values = inputs.map((spec) => {
      const value = csv ? cellValue(fields[spec.name], spec, fail) : fields[spec.name];
      checkValue(value, spec, `field '${spec.name}'`, fail);
      return value;
    });
    return inputs.length === 1 ? values[0] : Object.fromEntries(inputs.map((spec, i) => [spec.name, values[i]]));
  }
  const candidates = Object.keys(fields).filter((k) => k !== labelField && !NOT_INPUTS.includes(k));
  if (inputs.length === 1) {
    const spec = inputs[0];
    if (candidates.length === 1) {
      const value = csv ? cellValue(fields[candidates[0]], spec, fail) : fields[candidates[0]];
      checkValue(value, spec, `field '${candidates[0]}'`, fail);
      return value;
    }
    // A CSV of one numeric vector input has one column per element (sepal_length, sepal_width, ...).
    if (csv && spec.datatype !== 'BYTES' && spec.shape.length === 2 && candidates.length > 1) {
      const value = candidates.map((c) => numberCell(fields[c], c, fail));
      checkValue(value, spec, `columns ${candidates.join(', ')}`, fail);
      return value;
    }
  }
  const missing = inputs.filter((spec) => !(spec.name in fields)).map((spec) => `'${spec.name}'`);
  return fail(
    `no field ${missing.join(', ')} for the model's input${missing.length > 1 ? 's' : ''} (this row has ${Object.keys(fields).join(', ') || 'no fields'}); ` +
      `name the fields after the inputs, or put the whole instance under "instance"`,
  );
}

function expectedOf(raw: unknown, model: ModelInfo, field: string, csv: boolean, fail: (reason: string) => never): Expected {
  if (model.labels) {
    const label = String(raw);
    if (!model.labels.includes(label)) fail(`${field} '${label.slice(0, 60)}' is not one of the model's labels (${model.labels.join(', ')})`);
    return label;
  }
  const value = csv && typeof raw === 'string' ? parseCell(raw, field, fail) : raw;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value) && value.flat(Infinity).every((v) => typeof v === 'number')) return value.flat(Infinity) as number[];
  return fail(`${field} must be a number or a list of numbers (the model has no labels, so its answers are values)`);
}

/** A CSV cell for an input: BYTES as the text, numbers parsed, a JSON list for a vector in one cell. */
function cellValue(cell: unknown, spec: TensorSpecView, fail: (reason: string) => never): unknown {
  const text = String(cell);
  if (spec.datatype === 'BYTES') return text;
  if (spec.shape.length <= 1) return spec.datatype === 'BOOL' ? text.trim() === 'true' : numberCell(text, spec.name, fail);
  return parseCell(text, spec.name, fail);
}

function parseCell(cell: unknown, column: string, fail: (reason: string) => never): unknown {
  if (typeof cell !== 'string') return cell;
  try {
    return JSON.parse(cell);
  } catch {
    return fail(`column '${column}' holds '${cell.slice(0, 40)}', which is not a number or a JSON list`);
  }
}

function numberCell(cell: unknown, column: string, fail: (reason: string) => never): number {
  const value = Number(String(cell).trim());
  if (String(cell).trim() === '' || !Number.isFinite(value)) fail(`column '${column}' holds '${String(cell).slice(0, 40)}', which is not a number`);
  return value;
}

/** Shape and element kind against the input's spec: the same rules the server applies, said with the line. */
function checkValue(value: unknown, spec: TensorSpecView, where: string, fail: (reason: string) => never): void {
  const expected = spec.shape.slice(1);
  const shape = shapeOf(value);
  const fits = shape.length === expected.length && expected.every((d, i) => d === -1 || d === shape[i]);
  if (!fits) fail(`${where} has shape [${shape.join(',')}], but input '${spec.name}' takes instances of shape [${expected.join(',')}] (${spec.datatype})`);
  const leaves = [value].flat(Infinity);
  const ok =
    spec.datatype === 'BYTES'
      ? leaves.every((v) => typeof v === 'string' || (isObject(v) && typeof v.b64 === 'string'))
      : spec.datatype === 'BOOL'
        ? leaves.every((v) => typeof v === 'boolean' || v === 0 || v === 1)
        : leaves.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) fail(`${where} must hold ${spec.datatype === 'BYTES' ? 'strings' : spec.datatype === 'BOOL' ? 'booleans' : 'finite numbers'} for input '${spec.name}' (${spec.datatype})`);
}

function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function summarise(instance: unknown): string {
  const text = typeof instance === 'string' ? instance : JSON.stringify(instance);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

import { formatShape, TensorSpec } from '@app/models';
import { CliError } from '../cli-error';
import { OnnxSignature } from './onnx-signature';

export interface LabelsChoice {
  labels?: string[];
  /** Set when the labels came from a file: model.json names the copy beside it. */
  labelsFile?: string;
  output?: string;
  softmax?: boolean;
}

const FLOAT_TYPES = ['FP32', 'FP64'];

/**
 * model.json for a new model: the signature the file declares, and a classification postprocess when
 * labels are given, on the one [batch, classes] float output (or the one named). Labels that cannot fit
 * that output are refused here, with both numbers, before anything is written.
 */
export function buildModelJson(signature: OnnxSignature, choice: LabelsChoice, description?: string): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  if (description) json.description = description;
  json.inputs = signature.inputs;
  json.outputs = signature.outputs;
  if (choice.labels) {
    const output = classificationOutput(signature.outputs, choice.output);
    const classes = output.shape[output.shape.length - 1];
    if (classes !== -1 && classes !== choice.labels.length) {
      throw new CliError(
        `${choice.labels.length} labels were given, but output '${output.name}' ${formatShape(output.shape)} has ${classes} classes: give exactly ${classes}`,
      );
    }
    const duplicate = choice.labels.find((l, i) => choice.labels!.indexOf(l) !== i);
    if (duplicate !== undefined) throw new CliError(`the label '${duplicate}' is given twice`);
    json.postprocess = {
      type: 'classification',
      output: output.name,
      ...(choice.labelsFile ? { labelsFile: choice.labelsFile } : { labels: choice.labels }),
      topK: choice.labels.length,
      ...(choice.softmax ? { softmax: true } : {}),
    };
  }
  json.versionPolicy = { latest: 1 };
  return json;
}

function classificationOutput(outputs: TensorSpec[], named?: string): TensorSpec {
  if (named) {
    const found = outputs.find((o) => o.name === named);
    if (!found) throw new CliError(`--output '${named}' is not an output of the model (it has ${outputs.map((o) => `'${o.name}'`).join(', ')})`);
    if (found.shape.length !== 2) throw new CliError(`output '${named}' is ${formatShape(found.shape)}; labels need a [batch, classes] output`);
    return found;
  }
  const candidates = outputs.filter((o) => o.shape.length === 2 && FLOAT_TYPES.includes(o.datatype));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    throw new CliError(
      `labels need a [batch, classes] float output, and the model has none (${outputs.map((o) => `'${o.name}' ${o.datatype} ${formatShape(o.shape)}`).join(', ')})`,
    );
  }
  const probable = candidates.filter((o) => /prob/i.test(o.name));
  if (probable.length === 1) return probable[0];
  throw new CliError(`several outputs could hold the classes (${candidates.map((o) => `'${o.name}'`).join(', ')}): name one with --output`);
}

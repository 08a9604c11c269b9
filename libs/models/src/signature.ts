import { ModelConfig } from './model-config';
import { fromOrtType, formatShape, TensorSpec } from './tensor';
import type { ValueInfo } from './runtime/worker-protocol';

/** What clients send and get (public) and what the ONNX graph takes and gives (graph). */
export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  graphInputs: TensorSpec[];
  graphOutputs: TensorSpec[];
  /** Every graph input has a free first dimension, so requests can be stacked into one batch. */
  batchable: boolean;
}

function toSpec(info: ValueInfo, where: string): TensorSpec {
  const datatype = fromOrtType(info.type);
  if (!datatype) throw new Error(`${where} '${info.name}' has type ${info.type || 'non-tensor'}, which modelgate cannot serve`);
  return { name: info.name, datatype, shape: info.shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1)) };
}

/**
 * Checks model.json against what the ONNX file declares. A mismatch is a load error, so a version with the
 * wrong signature never takes traffic.
 */
export function deriveSignature(config: ModelConfig, graphIn: ValueInfo[], graphOut: ValueInfo[]): ModelSignature {
  const graphInputs = graphIn.map((i) => toSpec(i, 'ONNX input'));
  const graphOutputs = graphOut.map((o) => toSpec(o, 'ONNX output'));
  const produced = new Map(config.preprocess.map((p) => [p.output, p]));
  const inputs = config.inputs ?? graphInputs;

  for (const graphInput of graphInputs) {
    const transform = produced.get(graphInput.name);
    if (transform) {
      if (graphInput.datatype !== 'FP32') throw new Error(`ONNX input '${graphInput.name}' is ${graphInput.datatype}; text-features produce FP32`);
      const width = graphInput.shape[graphInput.shape.length - 1];
      if (graphInput.shape.length !== 2 || (width !== -1 && width !== transform.dimensions)) {
        throw new Error(`ONNX input '${graphInput.name}' has shape ${formatShape(graphInput.shape)}; text-features produce [-1,${transform.dimensions}]`);
      }
      continue;
    }
    const declared = inputs.find((i) => i.name === graphInput.name);
    if (!declared) throw new Error(`ONNX input '${graphInput.name}' is neither a declared input nor produced by preprocess`);
    checkCompatible(declared, graphInput, 'input');
  }
  for (const transform of config.preprocess) {
    const source = inputs.find((i) => i.name === transform.input);
    if (!source || source.datatype !== 'BYTES') throw new Error(`preprocess input '${transform.input}' must be a declared BYTES input`);
    if (!graphInputs.some((g) => g.name === transform.output)) throw new Error(`preprocess output '${transform.output}' is not an ONNX input`);
  }
  for (const declared of inputs) {
    const used = graphInputs.some((g) => g.name === declared.name) || config.preprocess.some((p) => p.input === declared.name);
    if (!used) throw new Error(`declared input '${declared.name}' is not used by the model`);
  }
  const outputs = config.outputs ?? graphOutputs;
  for (const declared of outputs) {
    const graphOutput = graphOutputs.find((g) => g.name === declared.name);
    if (!graphOutput) throw new Error(`declared output '${declared.name}' is not an ONNX output (it has ${graphOutputs.map((g) => g.name).join(', ')})`);
    checkCompatible(declared, graphOutput, 'output');
  }
  const post = config.postprocess;
  if (post && !graphOutputs.some((g) => g.name === post.output)) throw new Error(`postprocess output '${post.output}' is not an ONNX output`);

  const batchable = graphInputs.every((g) => g.shape.length > 0 && g.shape[0] === -1) && inputs.every((i) => i.shape.length > 0 && i.shape[0] === -1);
  return { inputs, outputs, graphInputs, graphOutputs, batchable };
}

function checkCompatible(declared: TensorSpec, graph: TensorSpec, kind: string): void {
  if (declared.datatype !== graph.datatype) {
    throw new Error(`${kind} '${declared.name}' is declared ${declared.datatype} but the ONNX file says ${graph.datatype}`);
  }
  const fits =
    declared.shape.length === graph.shape.length &&
    declared.shape.every((d, i) => graph.shape[i] === -1 || d === graph.shape[i]);
  if (!fits) {
    throw new Error(`${kind} '${declared.name}' is declared ${formatShape(declared.shape)} but the ONNX file says ${formatShape(graph.shape)}`);
  }
}

import { onnx } from 'onnx-proto';

/** A dimension: a fixed size, or a name for a free one (e.g. 'batch'). */
export type Dim = number | string;

/** The element types a graph's inputs and outputs may have here. */
export type ElemType = 'FLOAT' | 'INT64';

const IR_VERSION = 8;
const OPSET_VERSION = 13;
export const PRODUCER_NAME = 'modelgate-scripts';

/**
 * Builds small float32 ONNX graphs (MatMul, Add, Sub, Div, Relu, Softmax; Cast at the edges for int64
 * inputs and outputs) for the training scripts and tests.
 * Everything is emitted in the order it was added and nothing depends on the clock, so the same calls
 * give byte-identical files: the committed models can be checked by rebuilding them.
 */
export class OnnxGraphBuilder {
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];

  constructor(
    private readonly graphName: string,
    private readonly docString = '',
  ) {}

  input(name: string, dims: readonly Dim[], elemType: ElemType = 'FLOAT'): this {
    this.inputs.push(valueInfo(name, dims, elemType));
    return this;
  }

  output(name: string, dims: readonly Dim[], elemType: ElemType = 'FLOAT'): this {
    this.outputs.push(valueInfo(name, dims, elemType));
    return this;
  }

  /** A float32 constant; `values` is rounded to float32 and stored as little-endian raw_data (compact, exact). */
  initializer(name: string, dims: readonly number[], values: ArrayLike<number>): this {
    const size = dims.reduce((product, d) => product * d, 1);
    if (values.length !== size) throw new Error(`initializer '${name}': ${values.length} values for dims [${dims}]`);
    const bytes = new Uint8Array(size * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < size; i++) view.setFloat32(i * 4, values[i], true);
    this.initializers.push({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes });
    return this;
  }

  matMul(a: string, b: string, output: string): this {
    return this.node('MatMul', [a, b], output);
  }

  add(a: string, b: string, output: string): this {
    return this.node('Add', [a, b], output);
  }

  sub(a: string, b: string, output: string): this {
    return this.node('Sub', [a, b], output);
  }

  div(a: string, b: string, output: string): this {
    return this.node('Div', [a, b], output);
  }

  cast(x: string, output: string, to: ElemType): this {
    return this.node('Cast', [x], output, [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType[to] }]);
  }

  relu(x: string, output: string): this {
    return this.node('Relu', [x], output);
  }

  /** Softmax over axis 1, i.e. over the classes of each row of a [batch, classes] tensor. */
  softmax(x: string, output: string): this {
    return this.node('Softmax', [x], output, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]);
  }

  /** Lp norm over all spatial axes of an [N, C, ...] tensor; with p = 1 on non-negative data, a sum. */
  globalLpPool(x: string, output: string, p: number): this {
    return this.node('GlobalLpPool', [x], output, [{ name: 'p', type: onnx.AttributeProto.AttributeType.INT, i: p }]);
  }

  /** The serialized ModelProto. */
  build(): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET_VERSION }],
      producerName: PRODUCER_NAME,
      docString: this.docString,
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(model).finish();
  }

  private node(opType: string, inputs: string[], output: string, attribute: onnx.IAttributeProto[] = []): this {
    this.nodes.push({ name: `${opType.toLowerCase()}_${this.nodes.length}`, opType, domain: '', input: inputs, output: [output], attribute });
    return this;
  }
}

function valueInfo(name: string, dims: readonly Dim[], elemType: ElemType): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType[elemType],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

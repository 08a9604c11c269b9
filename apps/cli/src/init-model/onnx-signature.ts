import { InferenceSession } from 'onnxruntime-node';
import { fromOrtType, TensorSpec } from '@app/models';
import { CliError } from '../cli-error';

export interface OnnxSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Inputs or outputs that are not tensors (sequences, maps: scikit-learn's ZipMap), or of a type modelgate does not serve. */
  unservable: string[];
}

/**
 * The signature the ONNX file declares, as onnxruntime reads it (the session's input and output metadata):
 * symbolic and unknown dimensions become -1, as model.json writes free dimensions.
 */
export async function readOnnxSignature(file: string): Promise<OnnxSignature> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled' });
  } catch (error) {
    const reason = ((error as Error).message ?? String(error)).split('\n')[0].replace(/^Error:\s*/, '');
    throw new CliError(`${file} is not an ONNX model that onnxruntime can load (${reason})`);
  }
  const unservable: string[] = [];
  const specs = (list: readonly InferenceSession.ValueMetadata[], kind: string): TensorSpec[] =>
    list.flatMap((m) => {
      const datatype = m.isTensor ? fromOrtType(m.type) : undefined;
      if (!m.isTensor || !datatype) {
        unservable.push(`${kind} '${m.name}' (${m.isTensor ? `tensor of ${m.type}` : 'not a tensor'})`);
        return [];
      }
      return [{ name: m.name, datatype, shape: m.shape.map((d) => (typeof d === 'number' && d > 0 ? d : -1)) }];
    });
  const signature = { inputs: specs(session.inputMetadata, 'input'), outputs: specs(session.outputMetadata, 'output'), unservable };
  await session.release();
  return signature;
}

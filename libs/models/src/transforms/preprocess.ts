import { HostTensor, TensorMap } from '../tensor';
import { TextFeaturesSpec, TextFeaturizer } from './text-features';

/** Turns public inputs into graph feeds: declared transforms replace their input, the rest pass through. */
export class Preprocessor {
  private readonly steps: { spec: TextFeaturesSpec; featurizer: TextFeaturizer }[];

  constructor(specs: readonly TextFeaturesSpec[]) {
    this.steps = specs.map((spec) => ({ spec, featurizer: new TextFeaturizer(spec) }));
  }

  get empty(): boolean {
    return this.steps.length === 0;
  }

  apply(inputs: TensorMap): TensorMap {
    if (this.steps.length === 0) return inputs;
    const feeds: TensorMap = { ...inputs };
    for (const { spec, featurizer } of this.steps) {
      const source = inputs[spec.input];
      delete feeds[spec.input];
      const rows = source.dims[0];
      const features: HostTensor = {
        datatype: 'FP32',
        dims: [rows, featurizer.dimensions],
        data: featurizer.featurize(source.data as string[]),
      };
      feeds[spec.output] = features;
    }
    return feeds;
  }
}

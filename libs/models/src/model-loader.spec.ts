import { ModelLoadError } from '@app/errors';
import { LoadDefaults, loadModelVersion } from './model-loader';
import { ModelRepository } from './repository/model-repository';
import { FakeRuntime, IRIS_GRAPH } from './testing/fake-runtime';
import { TempModelRepository } from './testing/temp-model-repository';

const DEFAULTS: LoadDefaults = { instances: 2, threads: 1, warmup: true };
const CLASSIFICATION = { type: 'classification', output: 'probabilities', labels: ['setosa', 'versicolor', 'virginica'] };

let repo: TempModelRepository;
let runtime: FakeRuntime;
beforeEach(() => {
  repo = new TempModelRepository();
  runtime = new FakeRuntime();
});
afterEach(() => repo.remove());

async function load(modelJson: Record<string, unknown> = {}, defaults = DEFAULTS, onWarning?: (m: string) => void) {
  repo.addVersion('iris', 1).writeModelJson('iris', modelJson);
  const repository = new ModelRepository(repo.root);
  const files = await repository.read('iris');
  return loadModelVersion(runtime, repository, files, files.versions[0], defaults, { onWarning });
}

describe('loadModelVersion', () => {
  it('warms up with one single-row request per instance before it returns', async () => {
    const servable = await load({ instances: 3 });
    expect(runtime.runsOf('iris@1')).toHaveLength(3);
    expect(runtime.runs[0].feeds.features.dims).toEqual([1, 4]);
    expect(runtime.runs[0].fetches).toEqual(['probabilities']);
    expect(servable.plan).toEqual({ instances: 3, threads: 1, provider: 'cpu' });
  });

  it('skips the warmup when model.json turns it off', async () => {
    await load({ warmup: false });
    expect(runtime.runs).toEqual([]);
  });

  it('derives the signature from what the runtime says the file declares', async () => {
    runtime.declare('iris', {
      inputs: [{ name: 'x', type: 'float64', shape: [-1, 2] }],
      outputs: [{ name: 'y', type: 'int64', shape: ['n', 1] }],
    });
    const servable = await load();
    expect(servable.signature.inputs).toEqual([{ name: 'x', datatype: 'FP64', shape: [-1, 2] }]);
    expect(servable.signature.outputs).toEqual([{ name: 'y', datatype: 'INT64', shape: [-1, 1] }]);
    expect(servable.signature.batchable).toBe(true);
  });

  it('passes on the runtime\'s warning and the provider it ended up on', async () => {
    runtime.declare('iris', { ...IRIS_GRAPH, provider: 'cpu', warning: 'CUDA is not available; falling back to CPU' });
    const warnings: string[] = [];
    const servable = await load({ executionProvider: 'cuda', fallback: 'cpu' }, DEFAULTS, (m) => warnings.push(m));
    expect(runtime.starts[0].options).toMatchObject({ executionProvider: 'cuda', fallback: 'cpu' });
    expect(warnings).toEqual(['iris@1: CUDA is not available; falling back to CPU']);
    expect(servable.plan.provider).toBe('cpu');
  });

  it('reads the labels file and classifies the warmup answer with it', async () => {
    repo.addVersion('iris', 1).writeFile('iris', 'labels.txt', 'a\nb\n\nc\n');
    const servable = await load({ postprocess: { type: 'classification', output: 'probabilities', labelsFile: 'labels.txt' } });
    expect(servable.labels).toEqual(['a', 'b', 'c']);
  });

  it('refuses labels that do not match the classes of the output, and closes the instances', async () => {
    const error = await load({ postprocess: { ...CLASSIFICATION, labels: ['a', 'b'] } }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toBe("iris@1: postprocess output 'probabilities' has 3 classes but 2 labels are declared");
    expect(runtime.closed).toEqual(['iris@1']);
  });

  it('wraps a runtime that cannot start the file in a ModelLoadError naming the version', async () => {
    runtime.failLoad('iris@1', 'invalid protobuf');
    await expect(load()).rejects.toThrow(new ModelLoadError('iris@1: cannot load model.onnx: invalid protobuf'));
    expect(runtime.open()).toEqual([]);
  });
});

import { Logger } from '@nestjs/common';
import { ModelLoadError, ModelNotFoundError } from '@app/errors';
import { createRegistryHarness, RegistryHarness } from './testing/registry-harness';

/** Hot reload and failed loads: what `sync` does when the files change under a serving model. */
let h: RegistryHarness;
beforeAll(() => Logger.overrideLogger(false));
beforeEach(() => (h = createRegistryHarness()));
afterEach(() => h.close());

const states = (name = 'iris') => h.registry.status(name).versions.map((v) => `${v.version}:${v.state}`);
const startsOf = (id: string) => h.runtime.starts.filter((s) => s.id === id).length;

async function serving(versions: number[], modelJson?: Record<string, unknown>): Promise<void> {
  h.repo.addVersions('iris', versions);
  if (modelJson) h.repo.writeModelJson('iris', modelJson);
  await h.registry.syncAll();
}

describe('ModelRegistry: hot reload', () => {
  it('switches to a new version only after its warmup, and closes the old one after the switch', async () => {
    await serving([1]);
    const switched: string[] = [];
    h.registry.onAvailable((v) => switched.push(`${v.id} with ${h.runtime.open().join(',')} open`));
    h.repo.addVersion('iris', 2);
    const warming = h.runtime.holdRuns('iris@2');
    const sync = h.registry.sync('iris');
    await warming.reached;
    expect(h.registry.resolve('iris').id).toBe('iris@1');
    expect(states()).toEqual(['2:LOADING', '1:AVAILABLE']);
    expect(h.runtime.runsOf('iris@2')).toHaveLength(1);
    warming.release();
    await sync;
    expect(h.registry.resolve('iris').id).toBe('iris@2');
    expect(switched).toEqual(['iris@2 with iris@1,iris@2 open']);
    expect(h.runtime.closed).toEqual(['iris@1']);
    expect(states()).toEqual(['2:AVAILABLE', '1:END']);
  });

  it('reloads a replaced model.onnx under the same version number and keeps the old load serving until the new one is warm', async () => {
    await serving([1]);
    const old = h.registry.resolve('iris');
    h.repo.addVersion('iris', 1, 'a retrained graph, longer than the first');
    const warming = h.runtime.holdRuns('iris@1');
    const sync = h.registry.sync('iris');
    await warming.reached;
    expect(h.registry.resolve('iris')).toBe(old);
    expect(states()).toEqual(['1:AVAILABLE']);
    warming.release();
    await sync;
    const reloaded = h.registry.resolve('iris');
    expect(reloaded).not.toBe(old);
    expect(reloaded.contentHash).not.toBe(old.contentHash);
    expect(h.runtime.closed).toEqual(['iris@1']);
    expect(h.runtime.open()).toEqual(['iris@1']);
  });

  it('reloads every version when model.json changes', async () => {
    await serving([1], { description: 'first' });
    h.repo.writeModelJson('iris', { description: 'second' });
    await h.registry.sync('iris');
    expect(startsOf('iris@1')).toBe(2);
    expect(h.registry.resolve('iris').config.description).toBe('second');
  });

  it('leaves a model whose files did not change alone on a rescan', async () => {
    await serving([1]);
    await h.registry.syncAll();
    expect(startsOf('iris@1')).toBe(1);
  });
});

describe('ModelRegistry: failed loads', () => {
  it('keeps the working version serving when a new version fails to load', async () => {
    await serving([1]);
    h.repo.addVersion('iris', 2);
    h.runtime.failLoad('iris@2');
    await h.registry.sync('iris');
    expect(h.registry.resolve('iris').id).toBe('iris@1');
    expect(h.runtime.open()).toEqual(['iris@1']);
    expect(h.registry.status('iris').versions).toEqual([
      { version: 2, state: 'END', error: 'iris@2: cannot load model.onnx: protobuf parsing failed' },
      { version: 1, state: 'AVAILABLE' },
    ]);
  });

  it('closes a new version whose warmup fails, and the working version keeps serving', async () => {
    await serving([1]);
    h.repo.addVersion('iris', 2);
    h.runtime.failRuns('iris@2');
    await h.registry.sync('iris');
    expect(h.runtime.closed).toEqual(['iris@2']);
    expect(h.registry.resolve('iris').id).toBe('iris@1');
    expect(h.registry.status('iris').versions[0]).toEqual({ version: 2, state: 'END', error: 'iris@2: inference failed: kernel failed' });
  });

  it('does not retry the same broken file on every rescan, but loads it once it is replaced', async () => {
    await serving([1]);
    h.repo.addVersion('iris', 2);
    h.runtime.failLoad('iris@2');
    await h.registry.sync('iris');
    await h.registry.sync('iris');
    expect(startsOf('iris@2')).toBe(1);
    h.runtime.repair('iris@2');
    h.repo.addVersion('iris', 2, 'the fixed graph, longer than the broken one');
    await h.registry.sync('iris');
    expect(h.registry.resolve('iris').id).toBe('iris@2');
    expect(h.runtime.closed).toEqual(['iris@1']);
  });

  it('load() throws ModelLoadError for the broken new version while the previous one keeps serving', async () => {
    await serving([1]);
    h.repo.addVersion('iris', 2);
    h.runtime.failLoad('iris@2');
    await expect(h.registry.load('iris')).rejects.toThrow(new ModelLoadError('iris@2: cannot load model.onnx: protobuf parsing failed'));
    expect(h.registry.resolve('iris').id).toBe('iris@1');
  });

  it('keeps the previous load of a version serving when its replaced file fails to load', async () => {
    await serving([1]);
    const old = h.registry.resolve('iris');
    h.repo.addVersion('iris', 1, 'a truncated graph, of another length');
    h.runtime.failLoad('iris@1');
    await h.registry.sync('iris');
    expect(h.registry.resolve('iris')).toBe(old);
    expect(h.registry.status('iris').versions).toEqual([
      { version: 1, state: 'AVAILABLE', error: 'iris@1: cannot load model.onnx: protobuf parsing failed' },
    ]);
    expect(h.runtime.closed).toEqual([]);
  });

  it('refuses a file whose graph does not match model.json and closes its instances', async () => {
    h.repo.addVersion('iris', 1).writeModelJson('iris', { inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 5] }] });
    await h.registry.syncAll();
    expect(h.runtime.closed).toEqual(['iris@1']);
    expect(h.registry.status('iris').versions[0].error).toBe("iris@1: input 'features' is declared [-1,5] but the ONNX file says [-1,4]");
  });

  it('refuses a version an onValidate hook rejects before it takes traffic, and closes its instances', async () => {
    const available: string[] = [];
    h.registry.onAvailable((v) => available.push(v.id));
    h.registry.onValidate(() => {
      throw new Error('batching.maxBatchSize is above the server limit');
    });
    await serving([1]);
    expect(available).toEqual([]);
    expect(h.runtime.closed).toEqual(['iris@1']);
    expect(states()).toEqual(['1:END']);
  });

  it('keeps the serving versions when model.json becomes unreadable, and reports it', async () => {
    await serving([1]);
    h.repo.writeModelJson('iris', '{ not json');
    await h.registry.sync('iris');
    expect(h.registry.resolve('iris').id).toBe('iris@1');
    expect(h.registry.status('iris').error).toMatch(/model\.json: .*JSON/);
    expect(h.runtime.closed).toEqual([]);
  });
});

describe('ModelRegistry: sync after files are removed', () => {
  it('unloads and forgets a removed version directory, serving the versions left', async () => {
    await serving([1, 2], { versionPolicy: { all: true } });
    h.repo.removeVersion('iris', 2);
    await h.registry.sync('iris');
    expect(h.runtime.closed).toEqual(['iris@2']);
    expect(states()).toEqual(['1:AVAILABLE']);
    expect(h.registry.resolve('iris').id).toBe('iris@1');
    expect(() => h.registry.resolve('iris', 2)).toThrow(ModelNotFoundError);
  });

  it('loads the previous version under {"latest": 1} when the newest directory is removed, before closing the newest', async () => {
    await serving([1, 2]);
    const switched: string[] = [];
    h.registry.onAvailable((v) => switched.push(`${v.id} with ${h.runtime.open().join(',')} open`));
    h.repo.removeVersion('iris', 2);
    await h.registry.sync('iris');
    expect(switched).toEqual(['iris@1 with iris@1,iris@2 open']);
    expect(h.runtime.closed).toEqual(['iris@2']);
    expect(states()).toEqual(['1:AVAILABLE']);
  });

  it('unloads and forgets a model whose folder is removed from the repository', async () => {
    await serving([1]);
    h.repo.addVersion('wine', 1);
    await h.registry.syncAll();
    h.repo.removeModel('iris');
    await h.registry.syncAll();
    expect(h.registry.names()).toEqual(['wine']);
    expect(() => h.registry.resolve('iris')).toThrow(ModelNotFoundError);
    expect(h.runtime.closed).toEqual(['iris@1']);
  });
});

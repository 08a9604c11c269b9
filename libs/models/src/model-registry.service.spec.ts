import { Logger } from '@nestjs/common';
import { ModelLoadError, ModelNotFoundError, ModelNotReadyError } from '@app/errors';
import { Gate } from './testing/fake-runtime';
import { createRegistryHarness, RegistryHarness } from './testing/registry-harness';

let h: RegistryHarness;
beforeAll(() => Logger.overrideLogger(false));
beforeEach(() => (h = createRegistryHarness()));
afterEach(() => h.close());

const states = (name = 'iris') => h.registry.status(name).versions.map((v) => `${v.version}:${v.state}`);
const started = () => h.runtime.starts.map((s) => s.id);

describe('ModelRegistry: version policy', () => {
  it.each([
    ['serves only the newest version when model.json names no policy', undefined, ['iris@3'], ['3:AVAILABLE', '2:END', '1:END']],
    ['serves the two newest versions under {"latest": 2}', { latest: 2 }, ['iris@2', 'iris@3'], ['3:AVAILABLE', '2:AVAILABLE', '1:END']],
    ['serves exactly the listed versions under {"specific": [1, 3]}', { specific: [1, 3] }, ['iris@1', 'iris@3'], ['3:AVAILABLE', '2:END', '1:AVAILABLE']],
    ['serves every version on disk under {"all": true}', { all: true }, ['iris@1', 'iris@2', 'iris@3'], ['3:AVAILABLE', '2:AVAILABLE', '1:AVAILABLE']],
  ])('%s', async (_name, versionPolicy, loaded, listed) => {
    h.repo.addVersions('iris', [1, 2, 3]);
    if (versionPolicy) h.repo.writeModelJson('iris', { versionPolicy });
    await h.registry.onModuleInit();
    expect(started().sort()).toEqual(loaded);
    expect(states()).toEqual(listed);
    expect(h.registry.available().map((v) => v.id).sort()).toEqual(loaded);
  });

  it('starts a version with model.json\'s instances and threads over the server defaults', async () => {
    h.repo.addVersion('iris', 1).writeModelJson('iris', { instances: 3, threads: 2 });
    h.repo.addVersion('plain', 1);
    await h.registry.syncAll();
    const options = Object.fromEntries(h.runtime.starts.map((s) => [s.id, s.options]));
    expect(options['iris@1']).toMatchObject({ instances: 3, threads: 2, executionProvider: 'cpu' });
    expect(options['plain@1']).toMatchObject({ instances: 1, threads: 1 });
    expect(options['iris@1'].modelPath).toMatch(/iris[/\\]1[/\\]model\.onnx$/);
  });

  it('refuses to start a repository that asks for more instances than maxInstances', async () => {
    await h.close();
    h = createRegistryHarness({ maxInstances: 2 });
    h.repo.addVersion('iris', 1).writeModelJson('iris', { instances: 3 });
    await expect(h.registry.onModuleInit()).rejects.toThrow(/Refusing the model repository .*3 instances in total exceed the limit of 2/);
    expect(started()).toEqual([]);
  });
});

describe('ModelRegistry: resolve', () => {
  it('gives the newest AVAILABLE version, passing over a newer one that failed to load', async () => {
    h.repo.addVersions('iris', [1, 2, 3]).writeModelJson('iris', { versionPolicy: { all: true } });
    h.runtime.failLoad('iris@3');
    await h.registry.sync('iris');
    expect(h.registry.resolve('iris').version).toBe(2);
    expect(h.registry.resolve('iris', 1).version).toBe(1);
    expect(() => h.registry.resolve('iris', 3)).toThrow(ModelNotReadyError);
    expect(() => h.registry.resolve('iris', 3)).toThrow(/version 3 of model 'iris' is END: iris@3: cannot load model.onnx: protobuf parsing failed/);
  });

  it('throws ModelNotFoundError (404) for an unknown model and for a version not on disk', async () => {
    h.repo.addVersion('iris', 1);
    await h.registry.syncAll();
    expect(() => h.registry.resolve('nope')).toThrow(ModelNotFoundError);
    expect(() => h.registry.resolve('iris', 9)).toThrow(ModelNotFoundError);
    expect(() => h.registry.resolve('iris', 9)).toThrow("Version 9 of model 'iris' not found");
  });

  it('throws ModelNotFoundError (404) for a version on disk that the policy does not serve', async () => {
    h.repo.addVersions('iris', [1, 2]);
    await h.registry.syncAll();
    expect(() => h.registry.resolve('iris', 1)).toThrow(ModelNotFoundError);
  });

  it('throws ModelNotReadyError (503) with the load error when no version could load', async () => {
    h.repo.addVersion('iris', 1);
    h.runtime.failLoad('iris');
    await h.registry.syncAll();
    expect(h.registry.has('iris')).toBe(true);
    expect(() => h.registry.resolve('iris')).toThrow(ModelNotReadyError);
    expect(() => h.registry.resolve('iris')).toThrow("model 'iris' has no available version: iris@1: cannot load model.onnx: protobuf parsing failed");
  });

  it('throws ModelNotReadyError (503) while the first version is still loading, then serves it', async () => {
    h.repo.addVersion('iris', 1);
    const loading = h.runtime.holdLoad('iris@1');
    const sync = h.registry.sync('iris');
    await loading.reached;
    expect(() => h.registry.resolve('iris')).toThrow("model 'iris' has no available version yet (loading)");
    expect(() => h.registry.resolve('iris', 1)).toThrow(ModelNotReadyError);
    expect(states()).toEqual(['1:LOADING']);
    loading.release();
    await sync;
    expect(h.registry.resolve('iris').id).toBe('iris@1');
  });

  it('answers run() through the runtime with outputs of the declared shapes', async () => {
    h.repo.addVersion('iris', 2);
    await h.registry.syncAll();
    const servable = h.registry.resolve('iris');
    const outputs = await servable.run({ features: { datatype: 'FP32', dims: [2, 4], data: new Float32Array(8) } });
    expect(outputs.probabilities.dims).toEqual([2, 3]);
    expect([...(outputs.probabilities.data as Float32Array)]).toEqual([2, 2, 2, 2, 2, 2]);
  });
});

describe('ModelRegistry: unload', () => {
  it('stops new requests, runs the onUnloading hooks, and only then closes the instances', async () => {
    h.repo.addVersion('iris', 1);
    await h.registry.syncAll();
    const drain = new Gate();
    const drained: string[] = [];
    h.registry.onUnloading(async (v) => {
      drained.push(v.id);
      await drain.wait();
    });
    const unloading = h.registry.unload('iris');
    await drain.reached;
    expect(drained).toEqual(['iris@1']);
    expect(states()).toEqual(['1:UNLOADING']);
    expect(() => h.registry.resolve('iris')).toThrow(ModelNotReadyError);
    expect(h.runtime.open()).toEqual(['iris@1']);
    drain.release();
    await unloading;
    expect(h.runtime.closed).toEqual(['iris@1']);
    expect(h.registry.status('iris')).toEqual({ name: 'iris', versions: [{ version: 1, state: 'END' }], unloadedByRequest: true });
  });

  it('closes the instances even when an onUnloading hook fails', async () => {
    h.repo.addVersion('iris', 1);
    await h.registry.syncAll();
    h.registry.onUnloading(() => Promise.reject(new Error('batcher stuck')));
    await h.registry.unload('iris');
    expect(h.runtime.closed).toEqual(['iris@1']);
  });

  it('keeps a model unloaded by request through rescans until load() is called', async () => {
    h.repo.addVersion('iris', 1);
    await h.registry.syncAll();
    await h.registry.unload('iris');
    await h.registry.syncAll();
    expect(started()).toEqual(['iris@1']);
    expect(() => h.registry.resolve('iris')).toThrow("model 'iris' has no available version (unloaded)");
    expect(() => h.registry.resolve('iris', 1)).toThrow(ModelNotFoundError);
    const status = await h.registry.load('iris');
    expect(status).toEqual({ name: 'iris', versions: [{ version: 1, state: 'AVAILABLE' }] });
    expect(started()).toEqual(['iris@1', 'iris@1']);
  });

  it('throws ModelNotFoundError when unloading or loading a model it does not know', async () => {
    await expect(h.registry.unload('nope')).rejects.toBeInstanceOf(ModelNotFoundError);
    await expect(h.registry.load('nope')).rejects.toBeInstanceOf(ModelNotFoundError);
  });

  it('load() throws ModelLoadError with the reason when the model cannot load', async () => {
    h.repo.addVersion('iris', 1);
    h.runtime.failLoad('iris@1', 'out of memory');
    await expect(h.registry.load('iris')).rejects.toThrow(new ModelLoadError('iris@1: cannot load model.onnx: out of memory'));
  });

  it('closes every version of every model at application shutdown, after the hooks', async () => {
    h.repo.addVersions('iris', [1, 2]).writeModelJson('iris', { versionPolicy: { all: true } });
    h.repo.addVersion('wine', 4);
    await h.registry.syncAll();
    const hooked: string[] = [];
    h.registry.onUnloading(async (v) => void hooked.push(`${v.id} open=${h.runtime.open().includes(v.id)}`));
    await h.registry.onApplicationShutdown();
    expect(hooked.sort()).toEqual(['iris@1 open=true', 'iris@2 open=true', 'wine@4 open=true']);
    expect(h.runtime.open()).toEqual([]);
    expect(h.runtime.closed.sort()).toEqual(['iris@1', 'iris@2', 'wine@4']);
  });
});

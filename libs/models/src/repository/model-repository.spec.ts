import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { ModelLoadError } from '@app/errors';
import { ModelRepository } from './model-repository';

/** What KServe's storage initializer leaves in /mnt/models for a storageUri naming one model's folder. */
function singleModelDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-mnt-models-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

const dirs: string[] = [];
const make = (files: Record<string, string>) => {
  const dir = singleModelDir(files);
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('ModelRepository over a single model directory (KServe /mnt/models)', () => {
  it('serves model.onnx at the root as version 1 of the one model named by models.name', async () => {
    const root = make({ 'model.onnx': 'graph', 'model.json': '{"instances": 2}' });
    const repository = new ModelRepository(root, { name: 'iris' });
    expect(repository.singleModel()).toBe('iris');
    expect(await repository.listModelNames()).toEqual(['iris']);
    expect(await repository.exists('iris')).toBe(true);
    expect(await repository.exists('model')).toBe(false);
    const files = await repository.read('iris');
    expect(files.name).toBe('iris');
    expect(files.config.instances).toBe(2);
    expect(files.versions.map((v) => [v.version, basename(v.modelPath)])).toEqual([[1, 'model.onnx']]);
  });

  it("takes the folder's name when models.name is empty", async () => {
    const root = make({ 'model.onnx': 'graph' });
    expect(await new ModelRepository(root, { name: '' }).listModelNames()).toEqual([basename(root)]);
  });

  it('serves a directory that holds only model.json and numbered version folders (a Triton-style model folder)', async () => {
    const root = make({ 'model.json': '{}', '1/model.onnx': 'one', '3/model.onnx': 'three' });
    const files = await new ModelRepository(root, { name: 'iris' }).read('iris');
    expect(files.versions.map((v) => v.version)).toEqual([1, 3]);
  });

  it('refuses model.onnx at the root beside a 1/ folder: both would be version 1', async () => {
    const root = make({ 'model.onnx': 'root', '1/model.onnx': 'folder' });
    await expect(new ModelRepository(root, { name: 'iris' }).read('iris')).rejects.toThrow(/model\.onnx and 1\/model\.onnx are both version 1/);
  });

  it('answers no other model name, and reads the files model.json names from the root', async () => {
    const root = make({ 'model.onnx': 'graph', 'labels.txt': 'a\nb\n' });
    const repository = new ModelRepository(root, { name: 'iris' });
    await expect(repository.read('spam')).rejects.toBeInstanceOf(ModelLoadError);
    expect(await repository.readModelFile('iris', 'labels.txt')).toBe('a\nb\n');
    await expect(repository.readModelFile('iris', '../../etc/passwd')).rejects.toBeInstanceOf(ModelLoadError);
  });

  it('maps every changed file to the one model, for the watcher', () => {
    const root = make({ 'model.onnx': 'graph' });
    expect(new ModelRepository(root, { name: 'iris' }).modelOf(join(root, 'model.json'))).toBe('iris');
  });

  it('says to set models.name when the folder name is not a valid model name', () => {
    const root = make({});
    const odd = join(root, 'has space');
    mkdirSync(odd);
    writeFileSync(join(odd, 'model.onnx'), 'graph');
    expect(() => new ModelRepository(odd).singleModel()).toThrow(/set models\.name \(MODELGATE_MODELS_NAME\)/);
  });

  it('stays a repository of model folders when the root has no model.onnx or model.json, whatever models.name says', async () => {
    const root = make({ 'iris/1/model.onnx': 'graph', 'spam/1/model.onnx': 'graph' });
    const repository = new ModelRepository(root, { name: 'other' });
    expect(repository.singleModel()).toBeUndefined();
    expect(await repository.listModelNames()).toEqual(['iris', 'spam']);
    expect(repository.modelOf(join(root, 'spam', '1', 'model.onnx'))).toBe('spam');
    expect(repository.modelOf(root)).toBeUndefined();
  });
});

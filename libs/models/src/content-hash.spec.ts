import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { contentHash } from './content-hash';
import { ModelConfig } from './model-config';

describe('contentHash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-content-hash-'));
  const file = (name: string, bytes: string) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const base = { preprocess: [], postprocess: { type: 'classification', output: 'p', labels: ['a', 'b'] } } as unknown as ModelConfig;

  it('is the same for the same file and transforms, and differs when the file bytes differ', async () => {
    const a = await contentHash(file('a.onnx', 'graph-one'), base);
    expect(await contentHash(file('copy.onnx', 'graph-one'), base)).toBe(a);
    expect(await contentHash(file('b.onnx', 'graph-two'), base)).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it('changes with the preprocess transforms, not with the labels (they apply after the cache)', async () => {
    const path = file('m.onnx', 'graph');
    const before = await contentHash(path, base);
    const relabelled = { ...base, postprocess: { ...base.postprocess!, labels: ['x', 'y'] } } as ModelConfig;
    expect(await contentHash(path, relabelled)).toBe(before);
    const featurized = { ...base, preprocess: [{ type: 'text-features', input: 'text' }] } as unknown as ModelConfig;
    expect(await contentHash(path, featurized)).not.toBe(before);
  });

  it('rejects when the file cannot be read', async () => {
    await expect(contentHash(join(dir, 'missing.onnx'), base)).rejects.toThrow(/ENOENT/);
  });
});

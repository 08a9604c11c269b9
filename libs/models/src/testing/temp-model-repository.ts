import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * A model repository in a temp folder, laid out as the real one (<name>/<version>/model.onnx, model.json).
 * model.onnx holds placeholder bytes: the fake runtime never parses it, but the repository needs a file
 * to list the version and the loader hashes its bytes.
 */
export class TempModelRepository {
  readonly root = mkdtempSync(join(tmpdir(), 'modelgate-models-'));

  /** Writing a version again with content of another length changes its fingerprint: a replaced file. */
  addVersion(model: string, version: number, content = `placeholder graph of ${model}@${version}`): this {
    const dir = join(this.root, model, String(version));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.onnx'), content);
    return this;
  }

  addVersions(model: string, versions: number[]): this {
    for (const version of versions) this.addVersion(model, version);
    return this;
  }

  removeVersion(model: string, version: number): this {
    rmSync(join(this.root, model, String(version)), { recursive: true, force: true });
    return this;
  }

  /** A string is written as it is (to write a broken model.json). */
  writeModelJson(model: string, json: Record<string, unknown> | string): this {
    mkdirSync(join(this.root, model), { recursive: true });
    writeFileSync(join(this.root, model, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
    return this;
  }

  writeFile(model: string, file: string, content: string): this {
    writeFileSync(join(this.root, model, file), content);
    return this;
  }

  removeModel(model: string): this {
    rmSync(join(this.root, model), { recursive: true, force: true });
    return this;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

import { createHash } from 'crypto';
import { existsSync, promises as fs } from 'fs';
import { join, relative, resolve, sep } from 'path';
import { InvalidInputError, ModelLoadError } from '@app/errors';
import { ModelConfig, parseModelConfig } from '../model-config';

/** Model names a repository may hold: no path separators, no leading dot, bounded length. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkModelName(name: string): void {
  if (!MODEL_NAME_PATTERN.test(name) || name.includes('..')) {
    throw new InvalidInputError(`model name '${name.slice(0, 80)}' is invalid: it must match ${MODEL_NAME_PATTERN.source}`, 'name');
  }
}

export interface VersionFiles {
  version: number;
  modelPath: string;
  /** Changes when the file changes (size and mtime): a cheap way to notice a replaced model.onnx. */
  fingerprint: string;
  bytes: number;
}

export interface ModelFiles {
  name: string;
  dir: string;
  config: ModelConfig;
  /** Hash of model.json's bytes; a change reloads every version. */
  configHash: string;
  versions: VersionFiles[];
}

/**
 * The file system side of the model repository: models/<name>/<version>/model.onnx plus model.json.
 * Only folders inside the root are ever read (symbolic links that leave it are refused), so a model name
 * from the control API can never reach an arbitrary path.
 */
export class ModelRepository {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async listModelNames(): Promise<string[]> {
    const entries = await fs.readdir(this.root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new ModelLoadError(`model repository ${this.root} does not exist`);
      throw error;
    });
    return entries
      .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && MODEL_NAME_PATTERN.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  async exists(name: string): Promise<boolean> {
    checkModelName(name);
    return existsSync(join(this.root, name));
  }

  /** Reads one model's folder. Throws ModelLoadError naming the file when model.json is invalid. */
  async read(name: string): Promise<ModelFiles> {
    checkModelName(name);
    const dir = await this.inside(join(this.root, name));
    const configFile = join(dir, 'model.json');
    let raw = '';
    let config: ModelConfig;
    try {
      raw = existsSync(configFile) ? await fs.readFile(configFile, 'utf8') : '{}';
      config = parseModelConfig(JSON.parse(raw));
    } catch (error) {
      throw new ModelLoadError(`${relative(process.cwd(), configFile) || configFile}: ${(error as Error).message}`);
    }
    const versions: VersionFiles[] = [];
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !/^[1-9]\d{0,15}$/.test(entry.name)) continue;
      const modelPath = join(dir, entry.name, 'model.onnx');
      const stat = await fs.stat(modelPath).catch(() => undefined);
      if (!stat?.isFile()) continue;
      await this.inside(modelPath);
      versions.push({ version: Number(entry.name), modelPath, fingerprint: `${stat.size}:${stat.mtimeMs}`, bytes: stat.size });
    }
    versions.sort((a, b) => a.version - b.version);
    return { name, dir, config, configHash: createHash('sha256').update(raw).digest('hex'), versions };
  }

  /** Reads a file that model.json names (labels), refusing paths outside the model folder. */
  async readModelFile(name: string, file: string): Promise<string> {
    checkModelName(name);
    const path = await this.inside(join(this.root, name, file));
    return fs.readFile(path, 'utf8');
  }

  private async inside(path: string): Promise<string> {
    const real = await fs.realpath(path).catch(() => {
      throw new ModelLoadError(`${relative(this.root, path)} does not exist in the model repository`);
    });
    const root = await fs.realpath(this.root);
    if (real !== root && !real.startsWith(root + sep)) {
      throw new ModelLoadError(`${relative(this.root, path)} resolves outside the model repository`);
    }
    return real;
  }
}

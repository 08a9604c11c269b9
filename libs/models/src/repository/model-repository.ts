import { createHash } from 'crypto';
import { existsSync, promises as fs } from 'fs';
import { basename, join, relative, resolve, sep } from 'path';
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

/** What the repository's root holds: models in folders, or one model (KServe's /mnt/models). */
export interface RepositoryOptions {
  /** The name a single-model directory serves under (models.name); its folder's name when empty. */
  name?: string;
}

const VERSION_FOLDER = /^[1-9]\d{0,15}$/;

/**
 * The file system side of the model repository: models/<name>/<version>/model.onnx plus model.json.
 * Only folders inside the root are ever read (symbolic links that leave it are refused), so a model name
 * from the control API can never reach an arbitrary path.
 *
 * The root may instead be one model's directory, as KServe's storage initializer leaves /mnt/models for a
 * storageUri that names a model: `model.onnx` (version 1) and an optional `model.json` at the root, and
 * numbered version folders beside them if the model has several. It then serves that one model under
 * models.name (KServe passes the InferenceService's name), or the folder's name.
 */
export class ModelRepository {
  readonly root: string;
  private readonly singleName: string;

  constructor(root: string, options: RepositoryOptions = {}) {
    this.root = resolve(root);
    this.singleName = options.name ?? '';
  }

  /**
   * The name of the model when the root is a single model's directory (model.onnx or model.json at the
   * root), otherwise undefined. Looked at on every call: a directory filled after the start is served.
   */
  singleModel(): string | undefined {
    if (!existsSync(join(this.root, 'model.onnx')) && !existsSync(join(this.root, 'model.json'))) return undefined;
    const name = this.singleName || basename(this.root);
    if (!MODEL_NAME_PATTERN.test(name) || name.includes('..')) {
      throw new ModelLoadError(`the model directory ${this.root} has no valid model name: set models.name (MODELGATE_MODELS_NAME) to one matching ${MODEL_NAME_PATTERN.source}`);
    }
    return name;
  }

  async listModelNames(): Promise<string[]> {
    const entries = await fs.readdir(this.root, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new ModelLoadError(`model repository ${this.root} does not exist`);
      throw error;
    });
    const single = this.singleModel();
    if (single !== undefined) return [single];
    return entries
      .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && MODEL_NAME_PATTERN.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  async exists(name: string): Promise<boolean> {
    checkModelName(name);
    const single = this.singleModel();
    if (single !== undefined) return name === single;
    return existsSync(join(this.root, name));
  }

  /** The model a changed file belongs to (for the watcher); undefined for the root itself. */
  modelOf(path: string): string | undefined {
    const single = this.singleModel();
    if (single !== undefined) return single;
    const first = relative(this.root, path).split(sep)[0];
    return first && first !== '..' ? first : undefined;
  }

  /** Reads one model's folder. Throws ModelLoadError naming the file when model.json is invalid. */
  async read(name: string): Promise<ModelFiles> {
    checkModelName(name);
    const single = this.singleModel();
    if (single !== undefined && name !== single) throw new ModelLoadError(`the model directory ${this.root} serves '${single}', not '${name}'`);
    const dir = await this.inside(this.dirOf(name, single));
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
      if (!entry.isDirectory() || !VERSION_FOLDER.test(entry.name)) continue;
      const found = await this.versionFile(Number(entry.name), join(dir, entry.name, 'model.onnx'));
      if (found) versions.push(found);
    }
    if (single !== undefined) {
      const atRoot = await this.versionFile(1, join(dir, 'model.onnx'));
      if (atRoot && versions.some((v) => v.version === 1)) {
        throw new ModelLoadError(`${dir}: model.onnx and 1/model.onnx are both version 1; keep one`);
      }
      if (atRoot) versions.push(atRoot);
    }
    versions.sort((a, b) => a.version - b.version);
    return { name, dir, config, configHash: createHash('sha256').update(raw).digest('hex'), versions };
  }

  /** Reads a file that model.json names (labels), refusing paths outside the model folder. */
  async readModelFile(name: string, file: string): Promise<string> {
    checkModelName(name);
    const path = await this.inside(join(this.dirOf(name, this.singleModel()), file));
    return fs.readFile(path, 'utf8');
  }

  private dirOf(name: string, single: string | undefined): string {
    return single !== undefined ? this.root : join(this.root, name);
  }

  private async versionFile(version: number, modelPath: string): Promise<VersionFiles | undefined> {
    const stat = await fs.stat(modelPath).catch(() => undefined);
    if (!stat?.isFile()) return undefined;
    await this.inside(modelPath);
    return { version, modelPath, fingerprint: `${stat.size}:${stat.mtimeMs}`, bytes: stat.size };
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

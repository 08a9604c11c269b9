import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative, resolve } from 'path';
import { checkModelName, formatShape, TensorSpec } from '@app/models';
import { loadCliConfig } from '../cli-config';
import { CliError } from '../cli-error';
import { sampleInstance } from '../data/sample-instance';
import { buildModelJson, LabelsChoice } from './model-json';
import { readOnnxSignature } from './onnx-signature';
import { serverRefusal } from './validate-model';

export interface InitModelFlags {
  name: string;
  labels?: string;
  labelsFile?: string;
  output?: string;
  softmax?: boolean;
  description?: string;
  repository?: string;
  url: string;
}

const LABELS_FILE = 'labels.txt';

/**
 * `modelgate init-model FILE.onnx --name NAME`: models/NAME/1/model.onnx and model.json from the file's own
 * signature, loaded once exactly as the server will load it before anything lands in the repository.
 */
export async function initModelCommand(file: string, flags: InitModelFlags): Promise<number> {
  try {
    checkModelName(flags.name);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (flags.labels !== undefined && flags.labelsFile !== undefined) throw new CliError('give --labels or --labels-file, not both');
  if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`${file}: no such file`);
  const config = loadCliConfig();
  const repository = resolve(flags.repository ?? config.models.repository);
  const target = join(repository, flags.name);
  if (existsSync(target)) {
    throw new CliError(`the name '${flags.name}' is taken: ${target} exists (choose another --name, or remove that folder first)`);
  }

  const signature = await readOnnxSignature(file);
  if (signature.unservable.length) {
    throw new CliError(
      `${file} has ${signature.unservable.join(', ')}, which modelgate cannot serve: export tensors only ` +
        `(from scikit-learn, convert with options={id(model): {'zipmap': False}})`,
    );
  }
  const choice = labelsChoice(flags);
  const modelJson = buildModelJson(signature, choice, flags.description);

  // Staged outside the repository, so a server watching it never sees a half-made or refused model.
  const staging = mkdtempSync(join(tmpdir(), 'modelgate-init-'));
  try {
    const dir = join(staging, flags.name);
    mkdirSync(join(dir, '1'), { recursive: true });
    cpSync(file, join(dir, '1', 'model.onnx'));
    writeFileSync(join(dir, 'model.json'), `${JSON.stringify(modelJson, null, 2)}\n`);
    if (choice.labelsFile) writeFileSync(join(dir, LABELS_FILE), `${choice.labels!.join('\n')}\n`);
    const refusal = await serverRefusal(config, staging, flags.name);
    if (refusal) throw new CliError(`the server would refuse this model: ${refusal}`);
    mkdirSync(repository, { recursive: true });
    if (existsSync(target)) throw new CliError(`the name '${flags.name}' was taken while validating: ${target} exists`);
    moveDir(dir, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }

  const shown = relative(process.cwd(), target) || target;
  const lines = [
    `created ${join(shown, '1', 'model.onnx')}`,
    `created ${join(shown, 'model.json')}${choice.labelsFile ? ` and ${join(shown, LABELS_FILE)}` : ''}`,
    `  inputs:  ${describe(signature.inputs)}`,
    `  outputs: ${describe(signature.outputs)}`,
    ...(choice.labels ? [`  labels:  ${choice.labels.join(', ')} (on '${(modelJson.postprocess as { output: string }).output}')`] : []),
    `validated: loaded and warmed up as the server loads it`,
    '',
    `serve it:  modelgate serve --repository ${relative(process.cwd(), repository) || '.'}`,
    `call it:   ${curlLine(flags.url, flags.name, signature.inputs)}`,
    `test it:   modelgate test ${flags.name} --url ${flags.url} --data rows.jsonl`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function labelsChoice(flags: InitModelFlags): LabelsChoice {
  const base = { output: flags.output, softmax: flags.softmax };
  if (flags.labels !== undefined) {
    const labels = flags.labels.split(',').map((l) => l.trim());
    if (labels.some((l) => l === '')) throw new CliError(`--labels '${flags.labels}' has an empty label: write them as a,b,c`);
    return { ...base, labels };
  }
  if (flags.labelsFile !== undefined) {
    if (!existsSync(flags.labelsFile)) throw new CliError(`--labels-file ${flags.labelsFile}: no such file`);
    const labels = readFileSync(flags.labelsFile, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    if (labels.length === 0) throw new CliError(`--labels-file ${flags.labelsFile} holds no labels (one a line)`);
    return { ...base, labels, labelsFile: LABELS_FILE };
  }
  if (flags.output || flags.softmax) throw new CliError('--output and --softmax describe the labels: give --labels or --labels-file too');
  return base;
}

/** rename is atomic on one file system; /tmp is often another, then copy and delete. */
function moveDir(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    cpSync(from, to, { recursive: true });
  }
}

const describe = (specs: TensorSpec[]) => specs.map((s) => `${s.name} ${s.datatype} ${formatShape(s.shape)}`).join(', ');

function curlLine(url: string, name: string, inputs: TensorSpec[]): string {
  const body = JSON.stringify({ instances: [sampleInstance(inputs, 'text')] });
  const shown = body.length > 2000 ? `${body.slice(0, 80)}... (${body.length} characters: one instance of zeros)` : body;
  return `curl -s -X POST ${url}/v1/models/${name}:predict -H 'Content-Type: application/json' -d '${shown}'`;
}

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { CLI_BIN, expectOneLine, runCli } from './support/cli';
import { constantClassModel, tempRepository } from './support/model-repo';
import { freePort, isolatedEnv, killAll, spawnProcess, waitFor } from './support/processes';
import { RunningApp, startInference } from './support/test-app';
import { ROOT } from './support/test-config';

/**
 * `modelgate init-model` as a user runs it (a child process), on ONNX files these tests build with the
 * scripts' OnnxGraphBuilder, then the real inference app serving the repository it wrote.
 */
describe('modelgate init-model and serve (the commands, run as child processes)', () => {
  const work = mkdtempSync(join(tmpdir(), 'modelgate-cli-init-'));
  // An iris-shaped classifier whose names are not iris's: inputs 'measurements' [batch,4], output 'scores' [batch,3].
  const onnxFile = join(work, 'favours-b.onnx');
  writeFileSync(onnxFile, constantClassModel(1, 'measurements', 3, 'scores'));
  let repository: string;
  let app: RunningApp | undefined;

  beforeEach(() => {
    repository = tempRepository();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await killAll();
  });

  it('writes NAME/1/model.onnx and a model.json from the file’s own signature, which the inference app then serves', async () => {
    const run = await runCli(['init-model', onnxFile, '--name', 'favours-b', '--labels', 'a,b,c', '--repository', repository]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(join(repository, 'favours-b', '1', 'model.onnx'))).toEqual(readFileSync(onnxFile));
    const modelJson = JSON.parse(readFileSync(join(repository, 'favours-b', 'model.json'), 'utf8'));
    expect(modelJson).toEqual({
      inputs: [{ name: 'measurements', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'scores', datatype: 'FP32', shape: [-1, 3] }],
      postprocess: { type: 'classification', output: 'scores', labels: ['a', 'b', 'c'], topK: 3 },
      versionPolicy: { latest: 1 },
    });
    expect(run.stdout).toContain('validated: loaded and warmed up as the server loads it');
    const curl = run.stdout.split('\n').find((l) => l.includes('curl '))!;
    expect(curl).toContain(`/v1/models/favours-b:predict`);

    app = await startInference({ models: { repository } });
    // The body the printed curl line sends.
    const body = JSON.parse(/-d '(.*)'$/.exec(curl)![1]);
    const res = await request(app.url).post('/v1/models/favours-b:predict').send(body);
    expect(res.status).toBe(200);
    expect(res.body.predictions[0].label).toBe('b');
  }, 60_000);

  it('copies --labels-file beside model.json and names it there', async () => {
    const labels = join(work, 'labels.txt');
    writeFileSync(labels, 'red\ngreen\nblue\n');
    const run = await runCli(['init-model', onnxFile, '--name', 'colours', '--labels-file', labels, '--repository', repository]);
    expect(run.code).toBe(0);
    const modelJson = JSON.parse(readFileSync(join(repository, 'colours', 'model.json'), 'utf8'));
    expect(modelJson.postprocess).toEqual({ type: 'classification', output: 'scores', labelsFile: 'labels.txt', topK: 3 });
    expect(readFileSync(join(repository, 'colours', 'labels.txt'), 'utf8')).toBe('red\ngreen\nblue\n');
  }, 60_000);

  it('refuses a file that is not ONNX, naming it, with exit status 2 and nothing written', async () => {
    const notOnnx = join(work, 'notes.onnx');
    writeFileSync(notOnnx, 'these are notes, not a model\n');
    const run = await runCli(['init-model', notOnnx, '--name', 'notes', '--repository', repository]);
    expect(run.code).toBe(2);
    expect(expectOneLine(run.stderr)).toMatch(new RegExp(`^modelgate: ${notOnnx.replace(/[.]/g, '\\.')} is not an ONNX model that onnxruntime can load \\(.*Protobuf parsing failed`));
    expect(run.stdout).toBe('');
    expect(readdirSync(repository)).toEqual([]);
  }, 60_000);

  it('refuses a name that is taken and leaves the model there as it was', async () => {
    const first = await runCli(['init-model', onnxFile, '--name', 'taken', '--labels', 'a,b,c', '--repository', repository]);
    expect(first.code).toBe(0);
    const before = readFileSync(join(repository, 'taken', 'model.json'), 'utf8');
    const run = await runCli(['init-model', onnxFile, '--name', 'taken', '--repository', repository]);
    expect(run.code).toBe(2);
    expect(expectOneLine(run.stderr)).toBe(
      `modelgate: the name 'taken' is taken: ${join(repository, 'taken')} exists (choose another --name, or remove that folder first)`,
    );
    expect(readFileSync(join(repository, 'taken', 'model.json'), 'utf8')).toBe(before);
  }, 60_000);

  it('refuses labels that do not match the width of the output, giving both numbers', async () => {
    const run = await runCli(['init-model', onnxFile, '--name', 'two-labels', '--labels', 'yes,no', '--repository', repository]);
    expect(run.code).toBe(2);
    expect(expectOneLine(run.stderr)).toBe("modelgate: 2 labels were given, but output 'scores' [-1,3] has 3 classes: give exactly 3");
    expect(existsSync(join(repository, 'two-labels'))).toBe(false);
  }, 60_000);

  it('is what `npx modelgate` runs in the checkout (package.json bin)', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ modelgate: 'apps/cli/bin/modelgate.js' });
    const { execFileSync } = await import('child_process');
    const help = execFileSync('npx', ['--no-install', 'modelgate', 'init-model', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(help).toContain('Usage: modelgate init-model [options] <file>');
  }, 60_000);

  it('the README flow: init-model, then `modelgate serve` on that repository, then `modelgate test` passes with rows the user wrote', async () => {
    const init = await runCli(['init-model', onnxFile, '--name', 'byo', '--labels', 'a,b,c', '--repository', repository]);
    expect(init.code).toBe(0);
    const port = await freePort();
    const server = spawnProcess(process.execPath, [CLI_BIN, 'serve', '--port', String(port), '--repository', repository], isolatedEnv());
    const url = `http://127.0.0.1:${port}`;
    await waitFor('modelgate serve to be ready', async () => {
      if (server.child.exitCode !== null) throw new Error(`modelgate serve exited: ${server.stderr()}`);
      return (await request(url).get('/health/ready')).status === 200;
    }, 90_000, 250);
    const rows = join(work, 'byo.csv');
    writeFileSync(rows, 'm1,m2,m3,m4,label\n5.1,3.5,1.4,0.2,b\n6.3,2.9,5.6,1.8,b\n');
    const run = await runCli(['test', 'byo', '--url', url, '--data', rows, '--duration', '2s', '--report', join(work, 'byo-report')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PASS    functional      2/2 as expected');
    // No reference distribution in a model.json made from an ONNX file alone: said, not failed.
    expect(run.stdout).toContain('SKIPPED statistical     model.json has no reference.classDistribution to compare with');
    expect(run.stdout).toMatch(/PASS {4}error handling {2}12\/12/);
    expect(run.stdout).toContain('PASSED');
  }, 150_000);
});

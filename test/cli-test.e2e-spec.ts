import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { expectOneLine, runCli } from './support/cli';
import { readModelJson, tempRepository, writeModelJson } from './support/model-repo';
import { RunningApp, startInference } from './support/test-app';
import { ROOT } from './support/test-config';

/**
 * `modelgate test` and `modelgate loadtest` as a user runs them (child processes) against the real
 * inference app serving the default models with their hold-out data, and a copy whose labels are shuffled.
 */
const KEY = 'cli-e2e-key-0123456789abcdef';
const holdout = (model: string) => join(ROOT, 'scripts/data', `${model}.holdout.jsonl`);

describe('modelgate test and loadtest against a running server (the commands, run as child processes)', () => {
  let app: RunningApp;
  const reports = mkdtempSync(join(tmpdir(), 'modelgate-cli-reports-'));

  beforeAll(async () => {
    const repository = tempRepository(['iris', 'name-gender', 'spam']);
    // The deliberately broken copy: spam with its two labels swapped in model.json, the graph untouched.
    const broken = tempRepository(['spam']);
    const json = readModelJson(broken, 'spam');
    (json.postprocess as { labels: string[] }).labels = ['spam', 'ham'];
    writeModelJson(broken, 'spam', json);
    const { cpSync } = await import('fs');
    cpSync(join(broken, 'spam'), join(repository, 'spam-shuffled'), { recursive: true });
    // iris with its rows in model.json instead of a hold-out file (one of them wrongly labelled), and a p99
    // objective no server meets.
    const own = tempRepository(['iris']);
    const irisJson = readModelJson(own, 'iris');
    const { holdoutFile: _none, ...reference } = irisJson.reference as Record<string, unknown>;
    writeModelJson(own, 'iris', {
      ...irisJson,
      reference,
      examples: [
        { features: [5.1, 3.5, 1.4, 0.2], label: 'setosa' },
        { features: [6.7, 3.0, 5.2, 2.3], label: 'virginica' },
        { features: [5.9, 3.0, 4.2, 1.5], label: 'setosa' },
      ],
      sloP99Ms: 0.001,
    });
    cpSync(join(own, 'iris'), join(repository, 'iris-examples'), { recursive: true });
    app = await startInference({ models: { repository }, auth: { apiKeys: { [KEY]: ['predict'] } } });
  }, 60_000);
  afterAll(() => app?.close());

  const test = (model: string, extra: string[] = []) =>
    runCli(['test', model, '--url', app.url, '--key', KEY, '--report', join(reports, model), '--duration', '3s', ...extra], { timeoutMs: 180_000 });
  const report = (model: string) => JSON.parse(readFileSync(join(reports, model, 'report.json'), 'utf8'));

  it("checks model.json's own examples when no data file is given, and holds the load to model.json sloP99Ms", async () => {
    const run = await test('iris-examples', ['--kinds', 'functional,load']);
    expect(run.code).toBe(1);
    const r = report('iris-examples');
    const functional = r.kinds.find((k: { kind: string }) => k.kind === 'functional');
    expect([functional.examples, functional.correct, functional.mismatches.length]).toEqual([3, 2, 1]);
    const load = r.kinds.find((k: { kind: string }) => k.kind === 'load');
    expect(load.slo).toMatchObject({ p99Ms: 0.001, source: 'model.json sloP99Ms', held: false });
  });

  for (const model of ['iris', 'name-gender', 'spam']) {
    it(`${model}: the four kinds pass on its hold-out data, exit 0, report.json and a self-contained report.html`, async () => {
      const run = await test(model, ['--data', holdout(model)]);
      process.stdout.write(`${run.stdout}\n`);
      expect(run.code).toBe(0);
      const r = report(model);
      expect(r.verdict).toBe('pass');
      expect(Object.fromEntries(r.kinds.map((k: { kind: string; verdict: string }) => [k.kind, k.verdict]))).toEqual({
        functional: 'pass',
        statistical: 'pass',
        errors: 'pass',
        load: 'pass',
      });
      const statistical = r.kinds.find((k: { kind: string }) => k.kind === 'statistical');
      expect(statistical.rowsSent).toBe(model === 'iris' ? 30 : 1000);
      expect(statistical.pValue).toBeGreaterThanOrEqual(0.01);
      const errors = r.kinds.find((k: { kind: string }) => k.kind === 'errors');
      expect(errors.cases.every((c: { status: number }) => c.status >= 400 && c.status < 500)).toBe(true);
      const html = readFileSync(join(reports, model, 'report.html'), 'utf8');
      // Two charts inline (class distribution, latency over time), nothing fetched, no scripts.
      expect(html.match(/<svg /g)).toHaveLength(2);
      expect(html).not.toMatch(/<script|<link|src=|href=/i);
    }, 180_000);
  }

  it('a copy with its labels shuffled fails the functional and statistical kinds and exits 1', async () => {
    const run = await test('spam-shuffled', ['--data', holdout('spam')]);
    process.stdout.write(`${run.stdout}\n`);
    expect(run.code).toBe(1);
    const r = report('spam-shuffled');
    expect(r.verdict).toBe('fail');
    const verdicts = Object.fromEntries(r.kinds.map((k: { kind: string; verdict: string }) => [k.kind, k.verdict]));
    expect(verdicts).toEqual({ functional: 'fail', statistical: 'fail', errors: 'pass', load: 'pass' });
    const statistical = r.kinds.find((k: { kind: string }) => k.kind === 'statistical');
    expect(statistical.pValue).toBeLessThan(0.01);
    expect(statistical.psi).toBeGreaterThanOrEqual(0.2);
    expect(run.stdout).toContain('FAILED: functional, statistical');
  }, 180_000);

  it('loadtest --users 20 --rate 600/min --duration 10s achieves 200 req/s within 5% with no errors', async () => {
    const run = await runCli(['loadtest', 'iris', '--url', app.url, '--key', KEY, '--users', '20', '--rate', '600/min', '--duration', '10s', '--json'], {
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    process.stdout.write(`loadtest: ${result.achievedRate} req/s of ${result.targetRate}, p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} ms\n`);
    expect(result.targetRate).toBe(200);
    expect(result.connections).toBe(20);
    expect(Math.abs(result.achievedRate - 200) / 200).toBeLessThanOrEqual(0.05);
    expect(result.errorsByStatus).toEqual({});
    expect(result.requests).toBe(2000);
  }, 60_000);

  it('loadtest --concurrency runs the closed loop and prints its live line and one result line', async () => {
    const run = await runCli(['loadtest', 'iris', '--url', app.url, '--key', KEY, '--concurrency', '4', '--duration', '2s', '--slo-ms', '1000']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^load: [12]\/2s {2}\d+ req\/s {2}p99 [\d.]+ ms {2}errors 0$/m);
    expect(expectOneLine(run.stdout)).toMatch(/^PASS load iris: [\d.]+ req\/s, \d+ requests, p50 [\d.]+ p95 [\d.]+ p99 [\d.]+ ms, errors none, SLO 1000 ms held$/);
  }, 60_000);

  describe('failures are one clear line, exit status 2, no stack trace', () => {
    it('server unreachable', async () => {
      const run = await runCli(['test', 'iris', '--url', 'http://127.0.0.1:9', '--key', KEY]);
      expect(run.code).toBe(2);
      expect(expectOneLine(run.stderr)).toBe('modelgate: cannot reach the server at http://127.0.0.1:9: connection refused (is it running? `modelgate serve` starts one)');
    });

    it('unknown model: names the models the server serves', async () => {
      const run = await runCli(['test', 'irsi', '--url', app.url, '--key', KEY]);
      expect(run.code).toBe(2);
      expect(expectOneLine(run.stderr)).toBe(`modelgate: model 'irsi' is not served by ${app.url}; it serves: iris, iris-examples, name-gender, spam, spam-shuffled`);
    });

    it('auth refused: no key, and an unknown key (401)', async () => {
      const none = await runCli(['test', 'iris', '--url', app.url]);
      expect(none.code).toBe(2);
      expect(expectOneLine(none.stderr)).toMatch(/^modelgate: the server at .* refused the request \(401: an API key is required.*\); pass a key with predict scope with --key or MODELGATE_API_KEY$/);
      const wrong = await runCli(['loadtest', 'iris', '--url', app.url, '--key', 'not-a-key-0123456789abcdef']);
      expect(wrong.code).toBe(2);
      expect(expectOneLine(wrong.stderr)).toMatch(/refused the request \(401: unknown API key\)/);
    });

    it('a data file that does not parse: file, line and reason', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'modelgate-cli-data-'));
      const jsonl = join(dir, 'rows.jsonl');
      writeFileSync(jsonl, '{"features": [5.1, 3.5, 1.4, 0.2], "label": "setosa"}\n{"features": [5.1, 3.5, 1.4, 0.2], "label": "setosa"\n');
      const broken = await runCli(['test', 'iris', '--url', app.url, '--key', KEY, '--data', jsonl]);
      expect(broken.code).toBe(2);
      expect(expectOneLine(broken.stderr)).toMatch(new RegExp(`^modelgate: ${jsonl}:2: not valid JSON \\(.+\\)$`));
      const csv = join(dir, 'rows.csv');
      writeFileSync(csv, 'sepal_length,sepal_width,petal_length,petal_width,label\n5.1,3.5,1.4,0.2,setosa\n5.1,3.5,wide,0.2,setosa\n');
      const badCell = await runCli(['test', 'iris', '--url', app.url, '--key', KEY, '--data', csv]);
      expect(badCell.code).toBe(2);
      expect(expectOneLine(badCell.stderr)).toBe(`modelgate: ${csv}:3: column 'petal_length' holds 'wide', which is not a number`);
      const narrow = join(dir, 'narrow.jsonl');
      writeFileSync(narrow, '{"features": [5.1, 3.5, 1.4], "label": "setosa"}\n');
      const shape = await runCli(['test', 'iris', '--url', app.url, '--key', KEY, '--data', narrow]);
      expect(expectOneLine(shape.stderr)).toBe(`modelgate: ${narrow}:1: field 'features' has shape [3], but input 'features' takes instances of shape [4] (FP32)`);
    });
  });
});

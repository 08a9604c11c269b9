import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { waitFor } from './support/processes';
import { RunningApp, startAllInOne } from './support/test-app';
import { MODELS_DIR } from './support/test-config';

const ADMIN_KEY = 'logging-test-admin-key';

type LogLine = Record<string, unknown> & { level: string; message: string; timestamp: string };

/** Today's name of a rotating file (datePattern YYYY-MM-DD, local time, as winston-daily-rotate-file uses). */
function dated(prefix: string, at = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}.log`;
}

/**
 * Every JSON line of a log file, and the file's name; log lines are written asynchronously, so tests poll.
 * The name is looked up for the day before and after the moment of the call too, so that a run across
 * midnight still finds it.
 */
function readLog(dir: string, prefix: string): { file: string; lines: LogLine[] } | undefined {
  const now = Date.now();
  const candidates = [now, now - 86_400_000, now + 86_400_000].map((t) => dated(prefix, new Date(t)));
  const file = candidates.find((f) => existsSync(join(dir, f)));
  if (!file) return undefined;
  const lines = readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LogLine);
  return { file, lines };
}

function waitForLine(dir: string, prefix: string, what: string, match: (line: LogLine) => boolean): Promise<{ file: string; line: LogLine; lines: LogLine[] }> {
  return waitFor(`${what} in ${prefix}-*.log`, () => {
    const log = readLog(dir, prefix);
    const line = log?.lines.find(match);
    return line ? { file: log!.file, line, lines: log!.lines } : undefined;
  }, 15_000);
}

describe('rotating log files (all-in-one app)', () => {
  let running: RunningApp;
  let logDir: string;
  let repository: string;

  beforeAll(async () => {
    // A repository of its own: the tests load a broken model into it and unload iris.
    repository = mkdtempSync(join(tmpdir(), 'modelgate-repo-'));
    cpSync(join(MODELS_DIR, 'iris'), join(repository, 'iris'), { recursive: true });
    running = await startAllInOne({
      models: { repository },
      auth: { apiKeys: { [ADMIN_KEY]: ['admin'] } },
    });
    logDir = running.config.logging.dir;
  });
  afterAll(async () => {
    await running?.close();
    rmSync(repository, { recursive: true, force: true });
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  const admin = (path: string, requestId: string) =>
    request(running.url).post(path).set('authorization', `Bearer ${ADMIN_KEY}`).set('x-request-id', requestId).send({});

  it('writes a JSON access line with the request id, method, route pattern, status and latency to modelgate-YYYY-MM-DD.log in logging.dir', async () => {
    const res = await request(running.url).post('/v1/models/iris:predict').set('x-request-id', 'abc-123').send({ instances: [[5.1, 3.5, 1.4, 0.2]] });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('abc-123');

    const { file, line } = await waitForLine(logDir, 'modelgate', 'the access line of abc-123', (l) => l.context === 'Access' && l.requestId === 'abc-123');
    expect(file).toMatch(/^modelgate-\d{4}-\d{2}-\d{2}\.log$/);
    expect(line).toMatchObject({ level: 'info', requestId: 'abc-123', method: 'POST', route: '/v1/models/:target', status: 200 });
    expect(typeof line.latencyMs).toBe('number');
    expect(line.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(line.timestamp)).not.toBeNaN();
  });

  it('writes an access line for a request that matches no route, with route "unmatched" (bounded values, not the URL)', async () => {
    await request(running.url).get('/nowhere').set('x-request-id', 'lost-404').expect(404);
    const { line } = await waitForLine(logDir, 'modelgate', 'the access line of lost-404', (l) => l.context === 'Access' && l.requestId === 'lost-404');
    expect(line).toMatchObject({ method: 'GET', status: 404 });
    expect(line.route).toBe('unmatched');
  });

  it("tags the lines the app writes while serving a request (not only the access line) with that request's id", async () => {
    await admin('/v2/repository/models/iris/unload', 'unload-req-7').expect(200);
    const { line } = await waitForLine(logDir, 'modelgate', 'the ModelRegistry line of unload-req-7', (l) => l.context === 'ModelRegistry' && /iris@1 unloaded/.test(l.message));
    expect(line.requestId).toBe('unload-req-7');

    await admin('/v2/repository/models/iris/load', 'load-req-8').expect(200);
    const loaded = await waitForLine(logDir, 'modelgate', 'the ModelRegistry line of load-req-8', (l) => l.context === 'ModelRegistry' && /iris@1 loaded/.test(l.message) && l.requestId !== undefined);
    expect(loaded.line.requestId).toBe('load-req-8');
    await request(running.url).post('/v1/models/iris:predict').send({ instances: [[5.1, 3.5, 1.4, 0.2]] }).expect(200);
  });

  it('writes error-level lines, and only those, to modelgate-error-YYYY-MM-DD.log as well, with the request id', async () => {
    // A model whose file is not ONNX, added after start: loading it by request fails and logs an error.
    mkdirSync(join(repository, 'broken', '1'), { recursive: true });
    writeFileSync(join(repository, 'broken', '1', 'model.onnx'), 'this is not an ONNX file');
    const res = await admin('/v2/repository/models/broken/load', 'broken-load-9');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MODEL_LOAD_FAILED');

    const { file, line, lines } = await waitForLine(logDir, 'modelgate-error', 'the error line of broken-load-9', (l) => l.requestId === 'broken-load-9');
    expect(file).toMatch(/^modelgate-error-\d{4}-\d{2}-\d{2}\.log$/);
    expect(line).toMatchObject({ level: 'error', context: 'ModelRegistry' });
    expect(lines.every((l) => l.level === 'error')).toBe(true);
    // The same line is in the main file too: the error file is an extract, not a separate stream.
    await waitForLine(logDir, 'modelgate', 'the error line of broken-load-9', (l) => l.level === 'error' && l.requestId === 'broken-load-9');
    // Only the two files of today and the rotation's own bookkeeping: nothing else lands in logging.dir.
    expect(readdirSync(logDir).filter((f) => !f.endsWith('-audit.json')).sort()).toEqual([
      expect.stringMatching(/^modelgate-\d{4}-\d{2}-\d{2}\.log$/),
      expect.stringMatching(/^modelgate-error-\d{4}-\d{2}-\d{2}\.log$/),
    ].sort());
  });
});

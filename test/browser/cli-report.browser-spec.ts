import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { Chromium, offMachine, openChromium } from '../support/chromium';
import { runCli } from '../support/cli';
import { RunningApp, startInference } from '../support/test-app';

/** What a person sees when opening the report `modelgate test` writes. */
describe("modelgate test's report.html in Chromium", () => {
  let app: RunningApp;
  let browser: Chromium;
  const reports = mkdtempSync(join(tmpdir(), 'modelgate-browser-report-'));

  beforeAll(async () => {
    app = await startInference();
    browser = await openChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the verdicts, the class distribution chart and the latency chart, loading nothing from anywhere', async () => {
    const run = await runCli(['test', 'iris', '--url', app.url, '--report', reports, '--duration', '3s'], { timeoutMs: 180_000 });
    expect(run.code).toBe(0);
    await browser.page.goto(pathToFileURL(join(reports, 'report.html')).href);
    const charts = browser.page.locator('svg');
    expect(await charts.count()).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 2; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(box!.height).toBeGreaterThan(100);
      expect(await charts.nth(i).locator('rect, path, line, polyline').count()).toBeGreaterThan(3);
    }
    const text = await browser.page.locator('body').innerText();
    for (const kind of ['functional', 'statistical', 'error', 'load']) expect(text.toLowerCase()).toContain(kind);
    expect(text).toMatch(/setosa/);
    expect(offMachine(browser.requests).filter((url) => !url.startsWith('file:'))).toEqual([]);
  });
});

import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's chromium package (`apt-get install chromium`); playwright-core downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, and quiet: none of Chromium's own traffic (updates, sync, QUIC probes) on top of the page's. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  page: Page;
  context: BrowserContext;
  /** Every URL the pages asked for, in order, whether or not it answered. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A Chromium with a fresh user-data dir (no cached credentials, cookies or fonts from an earlier run),
 * recording every request its pages make.
 */
export async function openChromium(options: { httpCredentials?: { username: string; password: string } } = {}): Promise<Chromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'modelgate-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, ...options });
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    requests,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The requests that left the machine: http(s), ws(s) to any host but loopback (data:, blob: never do). */
export function offMachine(requests: string[]): string[] {
  return requests.filter((url) => {
    const { protocol, hostname } = new URL(url);
    return ['http:', 'https:', 'ws:', 'wss:'].includes(protocol) && !LOOPBACK.has(hostname);
  });
}

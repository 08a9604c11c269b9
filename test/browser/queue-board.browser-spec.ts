import { Chromium, offMachine, openChromium } from '../support/chromium';
import { RunningApp, startInference } from '../support/test-app';

const ADMIN_KEY = 'browser-board-admin-key-0001';
const MODELS = ['iris', 'name-gender', 'spam'];

describe('bull-board at /admin/queues in Chromium', () => {
  let app: RunningApp;
  const browsers: Chromium[] = [];
  const open = async (...args: Parameters<typeof openChromium>) => {
    const browser = await openChromium(...args);
    browsers.push(browser);
    return browser;
  };

  beforeAll(async () => {
    app = await startInference({ auth: { apiKeys: { [ADMIN_KEY]: ['predict', 'admin'] } } });
  });
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    await app?.close();
  });

  it('challenges a browser without credentials: 401 with WWW-Authenticate: Basic realm="modelgate admin"', async () => {
    const { page } = await open();
    const url = `${app.url}/admin/queues`;
    // Without credentials Playwright cancels the login prompt, so the navigation itself fails; the answer is what counts.
    const [answer] = await Promise.all([page.waitForResponse(url), page.goto(url).catch(() => undefined)]);
    expect(answer.status()).toBe(401);
    expect(await answer.headerValue('www-authenticate')).toBe('Basic realm="modelgate admin", charset="UTF-8"');
  });

  it('logs in with any user name and the admin key as the password, and lists the queue of every model', async () => {
    const browser = await open({ httpCredentials: { username: 'operator', password: ADMIN_KEY } });
    const answer = await browser.page.goto(`${app.url}/admin/queues`);
    expect(answer?.status()).toBe(200);
    for (const model of MODELS) await browser.page.getByText(`predict.${model}`, { exact: true }).first().waitFor();
    expect(offMachine(browser.requests)).toEqual([]);
    expect(browser.requests.some((url) => url.includes('/admin/queues/api/queues'))).toBe(true);
  });

  it('asks no public host for anything, not even the fonts bull-board links from Google', () => {
    const all = browsers.flatMap((b) => b.requests);
    expect(all.length).toBeGreaterThan(3);
    expect(offMachine(all)).toEqual([]);
  });
});

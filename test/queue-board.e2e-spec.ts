import { RunningApp, startInference } from './support/test-app';

const ADMIN_KEY = 'queue-board-admin-key-00001';
const PREDICT_KEY = 'queue-board-predict-key-0001';
const CHALLENGE = 'Basic realm="modelgate admin", charset="UTF-8"';

/** What a browser sends after its login prompt: `Authorization: Basic base64(user:password)`. */
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` });

describe('bull-board login at /admin/queues (HTTP Basic, the admin key as the password)', () => {
  let app: RunningApp;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });

  beforeAll(async () => {
    app = await startInference({ auth: { apiKeys: { [ADMIN_KEY]: ['predict', 'admin'], [PREDICT_KEY]: ['predict'] } } });
  });
  afterAll(() => app?.close());

  it('answers 401 with a Basic challenge, as a browser needs to ask for a login, without a key or with an unknown one', async () => {
    for (const headers of [{}, basic('operator', 'not-a-configured-key-1')]) {
      for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
        const answer = await get(path, headers);
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toBe(CHALLENGE);
        expect(await answer.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
      }
    }
  });

  it('serves nothing of the board without a key under any spelling of its path (percent escapes, doubled slashes, case)', async () => {
    for (const path of ['/%61dmin/queues', '/admin/%71ueues/api/queues', '//admin/queues', '/admin//queues/api/queues', '/ADMIN/queues', '/Admin/Queues/api/queues']) {
      const answer = await get(path);
      expect([401, 404]).toContain(answer.status);
      expect(await answer.text()).not.toMatch(/bull|predict\.iris/i);
    }
    // The same spellings with the admin key are the board or a 404, never an error of ours.
    expect([200, 404]).toContain((await get('/%61dmin/queues', basic('operator', ADMIN_KEY))).status);
  });

  it('opens the page, its assets and its API to the admin key as the Basic password, whatever the user name', async () => {
    for (const user of ['operator', 'admin', '']) {
      const page = await get('/admin/queues', basic(user, ADMIN_KEY));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    }
    const html = await (await get('/admin/queues', basic('operator', ADMIN_KEY))).text();
    const stylesheet = /href="(static\/css\/main\.[^"]+\.css)"/.exec(html)![1];
    expect((await get(`/admin/queues/${stylesheet}`, basic('operator', ADMIN_KEY))).status).toBe(200);
    const api = await get('/admin/queues/api/queues', basic('operator', ADMIN_KEY));
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['predict.iris', 'predict.name-gender', 'predict.spam']));
  });

  it('answers 403 without a challenge to a key that lacks the admin scope (logging in again would not help)', async () => {
    const answer = await get('/admin/queues', basic('operator', PREDICT_KEY));
    expect(answer.status).toBe(403);
    expect(answer.headers.get('www-authenticate')).toBeNull();
  });

  it('keeps taking the key as Authorization: Bearer or X-API-Key, as scripts send it', async () => {
    expect((await get('/admin/queues', { authorization: `Bearer ${ADMIN_KEY}` })).status).toBe(200);
    expect((await get('/admin/queues', { 'x-api-key': ADMIN_KEY })).status).toBe(200);
    expect((await get('/admin/queues', { 'x-api-key': PREDICT_KEY })).status).toBe(403);
  });

  it("serves a page that links nothing on another host (bull-board's Google Fonts stylesheet is dropped)", async () => {
    const html = await (await get('/admin/queues', basic('operator', ADMIN_KEY))).text();
    expect(html).not.toMatch(/(href|src)=["']?(https?:)?\/\//i);
    expect(html).toContain('static/css/main.');
  });
});

import { Chromium, offMachine, openChromium } from '../support/chromium';
import { RunningApp, startInference } from '../support/test-app';

/** Predict routes stay open while no key has the predict scope, as on a fresh install with an admin key. */
const ADMIN_KEY = 'browser-swagger-admin-key-01';

describe('Swagger UI at /docs in Chromium', () => {
  let app: RunningApp;
  let browser: Chromium;

  beforeAll(async () => {
    app = await startInference({ auth: { apiKeys: { [ADMIN_KEY]: ['admin'] } } });
    browser = await openChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('executes the default body of POST /v1/models/{name}:predict with "Try it out" and shows the setosa prediction', async () => {
    const { page } = browser;
    await page.goto(`${app.url}/docs`);
    const operation = page.locator('.opblock-post', { has: page.locator('[data-path="/v1/models/{name}:predict"]') });
    await operation.locator('.opblock-summary-control').click();
    await operation.getByRole('button', { name: 'Try it out' }).click();

    const body = JSON.parse(await operation.locator('textarea.body-param__text').inputValue());
    expect(body).toMatchObject({ instances: [[5.1, 3.5, 1.4, 0.2]] });
    expect(body).not.toHaveProperty('inputs');
    expect(await operation.locator('tr[data-param-name="name"] input').inputValue()).toBe('iris');

    await operation.getByRole('button', { name: 'Execute' }).click();
    const answer = operation.locator('.live-responses-table .response');
    await answer.locator('.response-col_status').first().waitFor();
    expect((await answer.locator('.response-col_status').first().innerText()).trim()).toBe('200');
    const shown = JSON.parse(await answer.locator('.response-col_description pre').first().innerText());
    expect(shown.predictions[0]).toMatchObject({ label: 'setosa' });
  });

  it('lists the statuses the route answers instead of showing them as "Undocumented"', async () => {
    const { page } = browser;
    const operation = page.locator('.opblock-post', { has: page.locator('[data-path="/v1/models/{name}:predict"]') });
    const documented = await operation.locator('.responses-table:not(.live-responses-table) > tbody > tr.response').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
    expect(documented).toEqual(expect.arrayContaining(['200', '202', '401', '413', '415', '429']));
    expect(await operation.locator('.live-responses-table').innerText()).not.toContain('Undocumented');
  });

  it('loads everything from this server: no request leaves the loopback interface', () => {
    expect(browser.requests.length).toBeGreaterThan(3);
    expect(offMachine(browser.requests)).toEqual([]);
  });
});

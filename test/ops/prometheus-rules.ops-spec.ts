import { exposedFamilies, metricNamesOf, promtool, RULES_FILE, RULES_TESTS, rulesOf, unknownSeries } from '../support/prometheus';
import { RunningApp, startAllInOne } from '../support/test-app';

/** deploy/prometheus/modelgate-rules.yml against the real promtool (Debian's prometheus package). */
describe('deploy/prometheus rules', () => {
  it('pass promtool check rules', () => {
    const run = promtool(['check', 'rules', RULES_FILE]);
    expect(run.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(run.status).toBe(0);
  });

  it("pass their unit tests (promtool test rules): each alert fires on the input series that should fire it, after its 'for', and not on look-alikes", () => {
    const run = promtool(['test', 'rules', RULES_TESTS]);
    expect(run.output).toMatch(/SUCCESS/);
    expect(run.status).toBe(0);
  });

  it('alert on what the issue asks, each with a severity, a summary and a description, and every alert has a unit test', () => {
    const alerts = rulesOf().filter((r) => r.alert);
    expect(alerts.map((a) => a.alert).sort()).toEqual(
      [
        'ModelgateBatcherBacklogGrowing',
        'ModelgateDriftPSIHigh',
        'ModelgateHighErrorRatio',
        'ModelgateJobQueueBacklogGrowing',
        'ModelgateLatencyP99OverSLO',
        'ModelgateModelUnavailable',
        'ModelgateNotReady',
        'ModelgateRedisUnreachable',
        'ModelgateTargetDown',
        'ModelgateTargetMissing',
      ].sort(),
    );
    const tests = require('fs').readFileSync(RULES_TESTS, 'utf8') as string;
    for (const alert of alerts) {
      expect([alert.alert, alert.labels?.severity]).toEqual([alert.alert, expect.stringMatching(/^(critical|warning)$/)]);
      expect(alert.annotations?.summary && alert.annotations?.description).toBeTruthy();
      expect([alert.alert, tests.includes(`alertname: ${alert.alert}\n`)]).toEqual([alert.alert, true]);
    }
  });

  describe('against a running modelgate', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startAllInOne();
    });
    afterAll(() => app?.close());

    it('name only series that /metrics of modelgate exposes, or that a rule of theirs records', async () => {
      const exposed = await exposedFamilies(app.url);
      const rules = rulesOf();
      const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
      const unknown = rules.flatMap((r) => unknownSeries(metricNamesOf(r.expr), exposed, recorded).map((name) => `${r.record ?? r.alert}: ${name}`));
      expect(unknown).toEqual([]);
      // The extraction finds names at all (a broken one would pass the check above vacuously).
      expect(rules.flatMap((r) => metricNamesOf(r.expr))).toEqual(expect.arrayContaining(['modelgate_predictions_total', 'up', 'modelgate_readiness_check']));
    });
  });
});

import { mkdtempSync, writeFileSync } from 'fs';
import { dump as toYaml } from 'js-yaml';
import { tmpdir } from 'os';
import { join } from 'path';
import { dashboard, exposedFamilies, interpolateGrafana, metricNamesOf, panelQueries, promtool, rulesOf, unknownSeries } from '../support/prometheus';
import { RunningApp, startAllInOne } from '../support/test-app';

/** deploy/grafana/modelgate.json: importable, its PromQL parsed by the real promtool, naming only real series. */
describe('deploy/grafana/modelgate.json', () => {
  const d = dashboard();
  const queries = panelQueries(d);

  it('is an importable dashboard: a Prometheus datasource variable, job, model and version variables, every query on that datasource', () => {
    expect(d.uid).toBe('modelgate');
    const variables = new Map(d.templating.list.map((v) => [v.name, v]));
    expect(variables.get('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const name of ['job', 'model', 'version']) expect(variables.get(name)).toMatchObject({ type: 'query', datasource: { type: 'prometheus', uid: '${datasource}' }, includeAll: true, multi: true });
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of d.panels.filter((p) => p.type !== 'row')) {
      expect([panel.title, panel.datasource]).toEqual([panel.title, { type: 'prometheus', uid: '${datasource}' }]);
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const t of panel.targets ?? []) expect([panel.title, t.datasource?.uid]).toEqual([panel.title, '${datasource}']);
    }
  });

  it('has panels for traffic, errors, latency quantiles, batch size, queue wait, compute time, cache hit ratio, jobs, drift PSI, model state and the process', () => {
    const titles = d.panels.map((p) => p.title);
    for (const title of [
      'Requests by protocol',
      'Failures by outcome',
      'Error ratio',
      'Request latency quantiles',
      'Batch size',
      'Queue wait in the batcher (p99)',
      'Compute time per batch',
      'Rows pending in the batcher',
      'Cache hit ratio',
      'Job queue depth',
      'Job latency (p99)',
      'Drift PSI',
      'Model state',
      'CPU',
      'Resident memory',
      'Event-loop lag',
    ]) {
      expect(titles).toContain(title);
    }
  });

  it("parses every panel's PromQL with promtool (each query, variables filled as Grafana does, checked as a recording rule)", () => {
    const rules = queries.map((q, i) => ({ record: `dashboard:panel_${i}:query`, expr: interpolateGrafana(q.expr) }));
    const file = join(mkdtempSync(join(tmpdir(), 'modelgate-dashboard-')), 'dashboard-queries.yml');
    writeFileSync(file, toYaml({ groups: [{ name: 'dashboard', rules }] }));
    const run = promtool(['check', 'rules', file]);
    expect(run.output).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
    expect(run.status).toBe(0);
  });

  it('rejects a broken query the same way (the parse check is real)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'modelgate-dashboard-')), 'broken.yml');
    writeFileSync(file, toYaml({ groups: [{ name: 'dashboard', rules: [{ record: 'dashboard:broken', expr: 'sum by (model (rate(modelgate_predictions_total[1m]))' }] }] }));
    expect(promtool(['check', 'rules', file]).status).not.toBe(0);
  });

  describe('against a running modelgate', () => {
    let app: RunningApp;
    beforeAll(async () => {
      app = await startAllInOne();
    });
    afterAll(() => app?.close());

    it('names only series that /metrics of modelgate exposes, or that deploy/prometheus records', async () => {
      const exposed = await exposedFamilies(app.url);
      const recorded = new Set(rulesOf().flatMap((r) => (r.record ? [r.record] : [])));
      const unknown = queries.flatMap((q) => unknownSeries(metricNamesOf(interpolateGrafana(q.expr)), exposed, recorded).map((name) => `${q.panel} ${q.refId}: ${name}`));
      expect(unknown).toEqual([]);
      const variableQueries = d.templating.list.filter((v) => v.type === 'query').map((v) => (v.query as { query: string }).query);
      const inVariables = variableQueries.flatMap((q) => metricNamesOf(interpolateGrafana(q.replace(/^label_values\((.*),\s*\w+\)$/, '$1'))));
      expect(unknownSeries(inVariables, exposed, recorded)).toEqual([]);
      expect(inVariables.length).toBeGreaterThan(0);
    });
  });
});

import request from 'supertest';
import { freePort, killAll, waitFor } from '../support/processes';
import { instantQuery, interpolateGrafana, panelQueries, RULES_FILE, rulesOf, RunningPrometheus, startPrometheus } from '../support/prometheus';
import { RunningApp, startAllInOne } from '../support/test-app';

interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
}

/**
 * Debian's prometheus binary, on a private port with a temp data folder, scraping a running modelgate
 * every second with deploy/prometheus/modelgate-rules.yml evaluated every second, seen through
 * Prometheus's HTTP API only (what Grafana and Alertmanager see).
 */
describe('a real Prometheus scraping modelgate with deploy/prometheus/modelgate-rules.yml', () => {
  let app: RunningApp | undefined;
  let prometheus: RunningPrometheus;
  let target = '';
  const instance = () => target;

  beforeAll(async () => {
    app = await startAllInOne();
    target = new URL(app.url).host;
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 900ms',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${RULES_FILE}`,
      'scrape_configs:',
      '  - job_name: modelgate',
      '    static_configs:',
      `      - targets: ['${instance()}']`,
      '',
    ].join('\n');
    prometheus = await startPrometheus(config, await freePort());
  });
  afterAll(async () => {
    await app?.close();
    await prometheus?.stop();
    await killAll();
  });

  const alerts = async (): Promise<Alert[]> => {
    const body = (await (await fetch(`${prometheus.url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
    return body.data.alerts;
  };

  it('loads every rule of the file', async () => {
    const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: Array<{ name: string; rules: Array<{ health: string; name: string }> }> } };
    const rules = body.data.groups.flatMap((g) => g.rules);
    expect(body.data.groups.map((g) => g.name).sort()).toEqual(['modelgate.alerts', 'modelgate.recording']);
    expect(rules.filter((r) => r.health === 'err')).toEqual([]);
    expect(rules.map((r) => r.name).sort()).toEqual(rulesOf().map((r) => r.record ?? r.alert).sort());
  });

  it('sees the target up', async () => {
    await waitFor(
      'the modelgate target to be up',
      async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ health: string; labels: Record<string, string> }> } };
        const target = body.data.activeTargets.find((t) => t.labels.instance === instance());
        return target?.health === 'up';
      },
      30_000,
      250,
    );
    const up = await instantQuery(prometheus.url, `up{job="modelgate"}`);
    expect(up.data?.result.map((r) => [r.metric.instance, r.value[1]])).toEqual([[instance(), '1']]);
    // Nothing fires against a healthy modelgate (ModelgateTargetMissing may be pending from before the first scrape).
    expect((await alerts()).filter((a) => a.state === 'firing')).toEqual([]);
  });

  it('records the request rate per model, version and protocol from the predictions modelgate counted', async () => {
    const send = () => Promise.all([
      request(app!.url).post('/v1/models/iris:predict').send({ instances: [[5.1, 3.5, 1.4, 0.2]] }).expect(200),
      request(app!.url).post('/v2/models/iris/infer').send({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: [6.7, 3.0, 5.2, 2.3] }] }).expect(200),
    ]);
    const series = await waitFor(
      'model_version_protocol:modelgate_predictions:rate1m to have samples',
      async () => {
        await send();
        const res = await instantQuery(prometheus.url, 'model_version_protocol:modelgate_predictions:rate1m{model="iris"}');
        const result = res.data?.result ?? [];
        return result.length === 2 && result.every((r) => Number(r.value[1]) > 0) && result;
      },
      60_000,
      1000,
    );
    expect(series.map((r) => r.metric.protocol).sort()).toEqual(['tfserving', 'v2']);
    expect(series.every((r) => r.metric.model === 'iris' && r.metric.version === '1')).toBe(true);
    const latency = await instantQuery(prometheus.url, 'model_version:modelgate_prediction_duration_seconds:p99_5m{model="iris"}');
    expect(Number(latency.data?.result[0]?.value[1])).toBeGreaterThan(0);
  });

  it("evaluates every query of the Grafana dashboard without an error (variables filled as Grafana does with 'All')", async () => {
    const failed: string[] = [];
    for (const q of panelQueries()) {
      const res = await instantQuery(prometheus.url, interpolateGrafana(q.expr));
      if (res.status !== 'success') failed.push(`${q.panel} ${q.refId}: ${res.error}`);
    }
    expect(failed).toEqual([]);
  });

  it('fires ModelgateTargetDown once modelgate has been stopped for the alert\'s 1 minute', async () => {
    await app!.close();
    const stoppedAt = Date.now();
    let pendingAt = 0;
    const firing = await waitFor(
      'ModelgateTargetDown to fire',
      async () => {
        const down = (await alerts()).find((a) => a.labels.alertname === 'ModelgateTargetDown' && a.labels.instance === instance());
        if (down?.state === 'pending' && !pendingAt) pendingAt = Date.now();
        return down?.state === 'firing' && down;
      },
      150_000,
      250,
    );
    const firedAfter = (Date.now() - stoppedAt) / 1000;
    app = undefined;
    expect(firing.labels).toMatchObject({ alertname: 'ModelgateTargetDown', severity: 'critical', job: 'modelgate', instance: instance() });
    // for: 1m from the first failed scrape (at most a second after the stop) and the next evaluation.
    expect(firedAfter).toBeGreaterThanOrEqual(60);
    expect(firedAfter).toBeLessThan(75);
    process.stdout.write(
      `ModelgateTargetDown: pending ${((pendingAt - stoppedAt) / 1000).toFixed(1)} s and firing ${firedAfter.toFixed(1)} s after modelgate stopped (active since ${firing.activeAt})\n`,
    );
  });
});

import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { load as parseYaml } from 'js-yaml';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { Spawned, spawnProcess, waitFor } from './processes';
import { ROOT } from './test-config';

/** Debian's `prometheus` package (`apt-get install prometheus`) brings both binaries. */
export const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
export const PROMETHEUS = process.env.PROMETHEUS ?? 'prometheus';
export const RULES_FILE = join(ROOT, 'deploy/prometheus/modelgate-rules.yml');
export const RULES_TESTS = join(ROOT, 'deploy/prometheus/tests/modelgate-rules.test.yml');
export const DASHBOARD_FILE = join(ROOT, 'deploy/grafana/modelgate.json');

export interface ToolRun {
  status: number | null;
  output: string;
}

export function promtool(args: string[]): ToolRun {
  const run = spawnSync(PROMTOOL, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`${PROMTOOL} did not run (${run.error.message}): apt-get install prometheus`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function rulesOf(file = RULES_FILE): Rule[] {
  const doc = parseYaml(readFileSync(file, 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> };
  return doc.groups.flatMap((g) => g.rules);
}

/** Series Prometheus itself makes (not scraped): every target's `up`, and the alerts' state. */
const PROMETHEUS_SERIES = new Set(['up', 'ALERTS', 'ALERTS_FOR_STATE']);

const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'Inf', 'NaN', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'atan2']);

/**
 * The metric names a PromQL expression selects. Not a parser: strings, label matchers, ranges and the
 * label lists of by/without/on/ignoring/group_* are cut out, then every identifier that is not a function
 * call, a keyword or a number is a metric name. Enough for the expressions modelgate ships.
 */
export function metricNamesOf(expr: string): string[] {
  let s = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  s = s.replace(/\{[^}]*\}/g, ' ');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  s = s.replace(/\boffset\s+-?\d+\w*/g, ' ');
  const names = new Set<string>();
  for (const m of s.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (m[2] || KEYWORDS.has(m[1])) continue;
    names.add(m[1]);
  }
  return [...names];
}

/** The metric families a running app declares (# TYPE lines), by name. */
export async function exposedFamilies(url: string): Promise<Map<string, string>> {
  const text = (await request(url).get('/metrics').expect(200)).text;
  const types = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(m[1], m[2]);
  return types;
}

/** Names of `names` that neither the app exposes (a histogram's _bucket, _sum, _count included), nor a rule records, nor Prometheus makes. */
export function unknownSeries(names: string[], exposed: Map<string, string>, recorded: Set<string>): string[] {
  return names.filter((name) => {
    if (PROMETHEUS_SERIES.has(name) || recorded.has(name) || exposed.has(name)) return false;
    const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
    return !(base && ['histogram', 'summary'].includes(exposed.get(base) ?? ''));
  });
}

/** Grafana's variables as a query reaches Prometheus with "All" chosen ($__rate_interval: a range). */
export function interpolateGrafana(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}|\$__interval|\$\{__interval\}/g, '1m')
    .replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, '.*');
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Array<{ expr: string; refId: string; datasource?: { type: string; uid: string } }>;
}
export interface Dashboard {
  title: string;
  uid: string;
  panels: DashboardPanel[];
  templating: { list: Array<{ name: string; type: string; query: unknown; datasource?: { type: string; uid: string }; includeAll?: boolean; multi?: boolean }> };
}

export function dashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

export function panelQueries(d: Dashboard = dashboard()): Array<{ panel: string; refId: string; expr: string }> {
  return d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, refId: t.refId, expr: t.expr })));
}

export interface RunningPrometheus {
  url: string;
  process: Spawned;
  dir: string;
  stop(): Promise<void>;
}

/** Debian's prometheus binary on a private port and a temp data folder, with `config` as its prometheus.yml. */
export async function startPrometheus(config: string, port: number): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child = spawnProcess(
    PROMETHEUS,
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    {},
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'prometheus to be ready',
    async () => {
      if (child.child.exitCode !== null) throw new Error(`prometheus exited: ${child.stderr()}`);
      const res = await fetch(`${url}/-/ready`).catch(() => undefined);
      return res?.status === 200;
    },
    30_000,
    200,
  );
  return { url, process: child, dir, stop: () => child.kill() };
}

export interface QueryResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

export async function instantQuery(prometheus: string, expr: string): Promise<QueryResult> {
  const res = await fetch(`${prometheus}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  return (await res.json()) as QueryResult;
}

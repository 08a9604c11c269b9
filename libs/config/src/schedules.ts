import { existsSync, readFileSync } from 'fs';
import { load as parseYaml } from 'js-yaml';
import { join } from 'path';
import { parseExpression } from 'cron-parser';
import { ConfigError } from './config-error';

export const MAINTENANCE_JOBS = ['repository-sync', 'reference-refresh', 'batch-score', 'drift-report', 'cleanup'] as const;
export type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[number];

export interface Schedule {
  name: string;
  job: MaintenanceJobName;
  /** Exactly one of cron and everyMs. */
  cron?: string;
  tz: string;
  everyMs?: number;
  options: Record<string, unknown>;
  jobOptions: { attempts?: number; backoffMs?: number };
  enabled: boolean;
}

const KEYS = ['name', 'cron', 'tz', 'every', 'job', 'options', 'jobOptions', 'enabled'];

/** config/schedules.yaml, validated: a bad entry stops the app with the schedule's name. */
export function loadSchedules(configDir: string, file = 'schedules.yaml'): Schedule[] {
  const path = join(configDir, file);
  if (!existsSync(path)) return [];
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Invalid schedules: ${path} cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseSchedules(raw, path);
}

export function parseSchedules(raw: unknown, where = 'schedules.yaml'): Schedule[] {
  const list = (raw as { schedules?: unknown } | null)?.schedules ?? [];
  if (!Array.isArray(list)) throw new ConfigError(`Invalid schedules: ${where}: 'schedules' must be a list`);
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const name = typeof entry?.name === 'string' ? entry.name : `#${i + 1}`;
    const fail = (reason: string): never => {
      throw new ConfigError(`Invalid schedules: ${where}: schedule '${name}' ${reason}`);
    };
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) fail('must be a mapping');
    const unknown = Object.keys(entry).find((k) => !KEYS.includes(k));
    if (unknown) fail(`has an unknown field '${unknown}' (known: ${KEYS.join(', ')})`);
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) fail('needs a name of lowercase letters, digits and dashes');
    if (seen.has(name)) fail('is defined twice');
    seen.add(name);
    if (!MAINTENANCE_JOBS.includes(entry.job)) fail(`has job ${JSON.stringify(entry.job)}; it must be one of ${MAINTENANCE_JOBS.join(', ')}`);
    if ((entry.cron === undefined) === (entry.every === undefined)) fail('needs exactly one of cron and every');
    const tz = entry.tz ?? 'UTC';
    if (typeof tz !== 'string' || !validTimeZone(tz)) fail(`has an unknown time zone ${JSON.stringify(tz)}`);
    let cron: string | undefined;
    if (entry.cron !== undefined) {
      if (typeof entry.cron !== 'string') fail('needs cron as a string');
      try {
        parseExpression(entry.cron, { tz });
      } catch (error) {
        fail(`has an invalid cron pattern ${JSON.stringify(entry.cron)}: ${(error as Error).message}`);
      }
      if (entry.cron.trim().split(/\s+/).length < 5) fail(`has an invalid cron pattern ${JSON.stringify(entry.cron)}: it needs 5 or 6 fields`);
      cron = entry.cron;
    }
    const everyMs = entry.every === undefined ? undefined : parseInterval(entry.every) ?? fail(`has an invalid interval ${JSON.stringify(entry.every)} (use 30s, 5m, 2h or milliseconds, at least 1s)`);
    const options = entry.options ?? {};
    if (typeof options !== 'object' || Array.isArray(options) || options === null) fail('needs options as a mapping');
    const jobOptions = entry.jobOptions ?? {};
    for (const [key, value] of Object.entries(jobOptions)) {
      if (!['attempts', 'backoffMs'].includes(key)) fail(`has an unknown job option '${key}' (attempts, backoffMs)`);
      if (!Number.isInteger(value) || (value as number) < (key === 'attempts' ? 1 : 0)) fail(`has an invalid ${key} ${JSON.stringify(value)}`);
    }
    if (entry.enabled !== undefined && typeof entry.enabled !== 'boolean') fail('needs enabled as true or false');
    return { name, job: entry.job, cron, tz, everyMs, options, jobOptions, enabled: entry.enabled ?? true };
  });
}

function parseInterval(value: unknown): number | undefined {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? (() => {
            const m = /^(\d+)(ms|s|m|h)$/.exec(value.trim());
            if (!m) return NaN;
            return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
          })()
        : NaN;
  return Number.isInteger(ms) && ms >= 1000 ? ms : undefined;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

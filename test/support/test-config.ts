import { cpSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { AppConfig, ConfigOverrides, loadConfig } from '@app/config';

export const ROOT = resolve(__dirname, '../..');
export const CONFIG_DIR = join(ROOT, 'config');
export const MODELS_DIR = join(ROOT, 'models');
/** A copy of config/ whose schedules.yaml is `schedulesYaml`, for tests of the scheduler. */
export function configDirWithSchedules(schedulesYaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-config-'));
  cpSync(CONFIG_DIR, dir, { recursive: true });
  writeFileSync(join(dir, 'schedules.yaml'), schedulesYaml);
  return dir;
}

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The real configuration files with what a test needs changed: random HTTP and gRPC ports, its own log folder, its own
 * Redis key prefix (tests share one Redis and must never see each other's keys), no file watching.
 */
export function testConfig(overrides: ConfigOverrides = {}, configDir = CONFIG_DIR): AppConfig {
  const unique = `mgtest-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const base: ConfigOverrides = {
    server: { port: 0, host: '127.0.0.1' },
    grpc: { port: 0 },
    redis: { url: REDIS_URL, keyPrefix: unique, embedded: false },
    models: { repository: MODELS_DIR, watch: false, pollIntervalSeconds: 0 },
    logging: { dir: mkdtempSync(join(tmpdir(), 'modelgate-logs-')), level: 'info', accessLog: true },
  };
  const merged: Record<string, object> = { ...base };
  for (const [section, values] of Object.entries(overrides)) {
    merged[section] = { ...(merged[section] ?? {}), ...values };
  }
  return loadConfig({ configDir, env: {}, overrides: merged as ConfigOverrides });
}

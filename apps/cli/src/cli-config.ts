import { existsSync, readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { AppConfig, ConfigError, loadConfig } from '@app/config';
import { CliError } from './cli-error';

/** The checkout (or the image's /app): the folder holding package.json, config/ and models/. */
export const PACKAGE_ROOT = packageRoot(__dirname);

function packageRoot(from: string): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'modelgate') return dir;
  }
  return process.cwd();
}

/** Where config/default.yaml is: CONFIG_DIR wins; else ./config when there is one; else the checkout's. */
export function configDir(): string {
  return process.env.CONFIG_DIR ?? (existsSync(resolve('config', 'default.yaml')) ? resolve('config') : join(PACKAGE_ROOT, 'config'));
}

/**
 * modelgate's configuration as the server reads it (config/default.yaml, NODE_ENV's file, the environment):
 * the drift thresholds, the body limit and the repository come from the same place as the server's.
 */
export function loadCliConfig(overrides: Parameters<typeof loadConfig>[0] = {}): AppConfig {
  try {
    return loadConfig({ configDir: configDir(), ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}

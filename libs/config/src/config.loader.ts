import { existsSync, readFileSync } from 'fs';
import { load as parseYaml } from 'js-yaml';
import { resolve } from 'path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { API_SCOPES, ApiScope, AppConfig, CONFIG_SECTIONS } from './config.schema';
import { ConfigError } from './config-error';
import { envNameOf } from './env-names';
import { parseRedisUrl } from './redis-url';

type Raw = Record<string, any>;
export type ConfigOverrides = { [S in keyof typeof CONFIG_SECTIONS]?: Partial<AppConfig[S]> };

export interface LoadConfigOptions {
  /** Folder holding default.yaml; defaults to CONFIG_DIR, then ./config. */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Applied last (tests and embedding programs); they win over the environment. */
  overrides?: ConfigOverrides;
}

/** Reads config/default.yaml, config/<NODE_ENV>.yaml, the environment and overrides; validates all of it. */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const configDir = resolve(options.configDir ?? env.CONFIG_DIR ?? 'config');
  const defaults = readYaml(resolve(configDir, 'default.yaml'), true);
  const raw = structuredClone(defaults);
  if (env.NODE_ENV) deepMerge(raw, readYaml(resolve(configDir, `${env.NODE_ENV}.yaml`), false));
  applyEnvironment(raw, defaults, env);
  deepMerge(raw, (options.overrides ?? {}) as Raw);
  raw.auth.apiKeys = parseApiKeys(raw.auth?.apiKeys);

  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new ConfigError(describe(errors[0], raw));
  if (config.queue.ackReplicas > 0 && parseRedisUrl(config.redis.url).topology === 'cluster') {
    // WAIT counts the replicas of the node a connection talks to; a Cluster spreads that over masters.
    throw new ConfigError(
      `Invalid configuration: queue.ackReplicas (${envNameOf('queue.ackReplicas')}) works with one server or a Sentinel group; with a Redis Cluster (redis.url) it must be 0`,
    );
  }
  config.configDir = configDir;
  config.models.repository = resolve(config.models.repository);
  config.logging.dir = resolve(config.logging.dir);
  return config;
}

function readYaml(file: string, required: boolean): Raw {
  if (!existsSync(file)) {
    if (required) throw new ConfigError(`Invalid configuration: ${file} not found (set CONFIG_DIR to the folder that holds default.yaml)`);
    return {};
  }
  try {
    const parsed = parseYaml(readFileSync(file, 'utf8'));
    if (parsed === undefined || parsed === null) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be a mapping');
    return parsed as Raw;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`Invalid configuration: ${file} cannot be read: ${reason}`);
  }
}

function deepMerge(target: Raw, source: Raw): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const isPlainObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (isPlainObject && target[key] && typeof target[key] === 'object' && key !== 'apiKeys') deepMerge(target[key], value);
    else target[key] = value;
  }
}

/** Each setting's type is the type of its default, so "8080" becomes a number and "false" a boolean. */
function applyEnvironment(raw: Raw, defaults: Raw, env: NodeJS.ProcessEnv): void {
  for (const [section, values] of Object.entries(defaults)) {
    if (!values || typeof values !== 'object') continue;
    for (const [key, def] of Object.entries(values as Raw)) {
      const text = env[envNameOf(`${section}.${key}`)];
      if (text === undefined || text === '') continue;
      raw[section] ??= {};
      raw[section][key] = coerce(text, def);
    }
  }
}

function coerce(text: string, def: unknown): unknown {
  if (typeof def === 'number') return /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text.trim()) ? Number(text) : text;
  if (typeof def === 'boolean') {
    const t = text.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(t)) return true;
    if (['false', '0', 'no', 'off'].includes(t)) return false;
    return text;
  }
  if (def !== null && typeof def === 'object') {
    try {
      return JSON.parse(text);
    } catch {
      return text; // the compact form of auth.apiKeys, parsed by parseApiKeys
    }
  }
  return text;
}

/** Accepts {"<key>": ["predict"]} or "<key1>=predict+admin,<key2>=predict" (keys of 16 characters or more). */
function parseApiKeys(value: unknown): Record<string, ApiScope[]> {
  const where = `auth.apiKeys (${envNameOf('auth.apiKeys')})`;
  let entries: [string, unknown][];
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    entries = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((pair) => {
        const [key, scopes = ''] = pair.split('=');
        return [key.trim(), scopes.split('+').map((s) => s.trim())];
      });
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    entries = Object.entries(value);
  } else {
    throw new ConfigError(`Invalid configuration: ${where} must map keys to scope lists`);
  }
  const keys: Record<string, ApiScope[]> = {};
  for (const [key, scopes] of entries) {
    if (key.length < 16) throw new ConfigError(`Invalid configuration: ${where} has a key shorter than 16 characters`);
    const list = Array.isArray(scopes) ? scopes : [scopes];
    const bad = list.find((s) => !API_SCOPES.includes(s as ApiScope));
    if (bad !== undefined || list.length === 0)
      throw new ConfigError(`Invalid configuration: ${where} scope ${JSON.stringify(bad)} is not one of ${API_SCOPES.join(', ')}`);
    keys[key] = list as ApiScope[];
  }
  return keys;
}

const TYPE_CONSTRAINTS = ['isInt', 'isNumber', 'isBoolean', 'isString', 'isObject', 'isIn', 'matches'];

function describe(error: ValidationError, raw: Raw, parents: string[] = []): string {
  const path = [...parents, error.property];
  if (error.children && error.children.length > 0) return describe(error.children[0], raw, path);
  const name = path.join('.');
  const constraints = error.constraints ?? {};
  if (constraints.whitelistValidation) {
    return `Invalid configuration: unknown setting ${name} (a typo? the settings are listed in config/default.yaml)`;
  }
  // The type check says the most: "must be an integer" beats "must not be greater than 65535" for "eighty".
  const first = TYPE_CONSTRAINTS.find((c) => constraints[c]) ?? Object.keys(constraints)[0];
  const reason = constraints[first]?.replace(new RegExp(`^${error.property}\\s+`), '') ?? 'is invalid';
  const value = path.reduce<any>((node, key) => node?.[key], raw);
  const env = path.length === 2 ? ` (${envNameOf(name)})` : '';
  return `Invalid configuration: ${name}${env} ${reason}, got ${JSON.stringify(value)}`;
}

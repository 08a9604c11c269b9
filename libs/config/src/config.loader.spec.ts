import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { load as parseYaml } from 'js-yaml';
import { loadConfig } from './config.loader';
import { envNameOf } from './env-names';

const configDir = resolve(__dirname, '../../../config');

describe('loadConfig', () => {
  it('reads config/default.yaml with resolved paths', () => {
    const config = loadConfig({ configDir, env: {} });
    expect(config.server.port).toBe(8080);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.models.repository).toBe(resolve('models'));
    expect(config.batching.policy).toBe('aimd');
    expect(config.auth.apiKeys).toEqual({});
  });

  it('lets the environment override a setting, coerced to the type of its default', () => {
    const config = loadConfig({
      configDir,
      env: { PORT: '9090', MODELGATE_BATCHING_ENABLED: 'false', MODELGATE_BATCHING_AIMD_FACTOR: '0.25' },
    });
    expect(config.server.port).toBe(9090);
    expect(config.batching.enabled).toBe(false);
    expect(config.batching.aimdFactor).toBe(0.25);
  });

  it('stops with one line naming the setting and its environment name on a bad value', () => {
    expect(() => loadConfig({ configDir, env: { PORT: 'eighty' } })).toThrow(
      'Invalid configuration: server.port (PORT) must be an integer number, got "eighty"',
    );
    expect(() => loadConfig({ configDir, env: { MODELGATE_BATCHING_POLICY: 'random' } })).toThrow(
      /^Invalid configuration: batching\.policy \(MODELGATE_BATCHING_POLICY\) must be one of the following values: fixed, aimd, quantile, got "random"$/,
    );
    expect(() => loadConfig({ configDir, env: { REDIS_URL: 'localhost:6379' } })).toThrow(
      'redis.url (REDIS_URL) must be a redis://, rediss://, redis+sentinel:// or redis+cluster:// URL',
    );
    expect(() => loadConfig({ configDir, env: { REDIS_URL: 'redis+sentinel://10.0.0.1,10.0.0.2' } })).toThrow(
      /^Invalid configuration: redis\.url \(REDIS_URL\) names no master group: add \?name=<master>/,
    );
  });

  it('refuses queue.ackReplicas with a Redis Cluster, whose WAIT cannot count replicas across masters', () => {
    expect(() => loadConfig({ configDir, env: { REDIS_URL: 'redis+cluster://n1:7000,n2:7001', MODELGATE_QUEUE_ACK_REPLICAS: '1' } })).toThrow(
      'queue.ackReplicas (MODELGATE_QUEUE_ACK_REPLICAS) works with one server or a Sentinel group',
    );
    expect(loadConfig({ configDir, env: { REDIS_URL: 'redis+sentinel://s1,s2?name=m', MODELGATE_QUEUE_ACK_REPLICAS: '2' } }).queue.ackReplicas).toBe(2);
  });

  it('refuses an unknown setting in a yaml file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-config-'));
    writeFileSync(join(dir, 'default.yaml'), readFileSync(join(configDir, 'default.yaml')));
    writeFileSync(join(dir, 'production.yaml'), 'server:\n  prot: 80\n');
    expect(() => loadConfig({ configDir: dir, env: { NODE_ENV: 'production' } })).toThrow(
      'Invalid configuration: unknown setting server.prot',
    );
  });

  it('overlays config/<NODE_ENV>.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-config-'));
    writeFileSync(join(dir, 'default.yaml'), readFileSync(join(configDir, 'default.yaml')));
    writeFileSync(join(dir, 'production.yaml'), 'logging:\n  level: warn\n');
    expect(loadConfig({ configDir: dir, env: { NODE_ENV: 'production' } }).logging.level).toBe('warn');
  });

  it('says where to look when default.yaml is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-config-'));
    expect(() => loadConfig({ configDir: dir, env: {} })).toThrow(/default\.yaml not found \(set CONFIG_DIR/);
  });

  it('parses API keys from JSON or the compact form and rejects unknown scopes', () => {
    const key = 'k'.repeat(24);
    const admin = 'a'.repeat(24);
    const compact = loadConfig({ configDir, env: { MODELGATE_AUTH_API_KEYS: `${key}=predict,${admin}=predict+admin` } });
    expect(compact.auth.apiKeys).toEqual({ [key]: ['predict'], [admin]: ['predict', 'admin'] });
    const json = loadConfig({ configDir, env: { MODELGATE_AUTH_API_KEYS: JSON.stringify({ [key]: ['admin'] }) } });
    expect(json.auth.apiKeys).toEqual({ [key]: ['admin'] });
    expect(() => loadConfig({ configDir, env: { MODELGATE_AUTH_API_KEYS: `${key}=root` } })).toThrow(
      'scope "root" is not one of predict, admin',
    );
    expect(() => loadConfig({ configDir, env: { MODELGATE_AUTH_API_KEYS: 'short=admin' } })).toThrow(
      'shorter than 16 characters',
    );
  });

  it('documents every setting of default.yaml by its environment name in the README', () => {
    const defaults = parseYaml(readFileSync(join(configDir, 'default.yaml'), 'utf8')) as Record<string, object>;
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    const missing = Object.entries(defaults)
      .flatMap(([section, values]) => Object.keys(values).map((key) => envNameOf(`${section}.${key}`)))
      .filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it("starts with the README's API key examples exactly as written, both forms", () => {
    const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `auth.apiKeys` |'))!;
    const examples = [...row.split('|')[4].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(examples).toHaveLength(2);
    for (const example of examples) {
      const config = loadConfig({ configDir, env: { MODELGATE_AUTH_API_KEYS: example } });
      expect(Object.values(config.auth.apiKeys)).toContainEqual(['predict', 'admin']);
    }
  });
});

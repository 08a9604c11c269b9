import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { load as parseYaml } from 'js-yaml';
import { join } from 'path';
import { envNameOf } from '@app/config';
import { ROOT } from '../support/test-config';

// npm's own range semantics (semver comes with npm and with several of our dependencies).
const semver = require('semver') as { satisfies(version: string, range: string): boolean; validRange(range: string): string | null };

interface Service {
  build?: unknown;
  environment?: Record<string, string>;
  stop_grace_period?: string;
}
const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const defaults = parseYaml(readFileSync(join(ROOT, 'config/default.yaml'), 'utf8')) as { server: { shutdownTimeoutMs: number } };

/** Compose's duration syntax (`30s`, `1m30s`, `1500ms`) in milliseconds. */
function durationMs(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)) total += Number(n) * units[unit];
  return total;
}

/** Every package.json under node_modules (nested ones included) with an engines.node range. */
function enginesOfDependencies(): Array<{ name: string; range: string }> {
  const found: Array<{ name: string; range: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin') continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        walk(path);
        continue;
      }
      const manifest = join(path, 'package.json');
      if (existsSync(manifest)) {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string; engines?: { node?: unknown } };
        if (typeof pkg.engines?.node === 'string') found.push({ name: `${pkg.name}@${pkg.version}`, range: pkg.engines.node });
      }
      if (existsSync(join(path, 'node_modules'))) walk(join(path, 'node_modules'));
    }
  };
  walk(join(ROOT, 'node_modules'));
  return found;
}

describe('docker-compose.yml', () => {
  const apps = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

  it('runs the three apps from the Dockerfile', () => {
    expect(apps.map(([name]) => name).sort()).toEqual(['inference', 'queue-processor', 'scheduler']);
  });

  it("gives every app a stop_grace_period above its drain timeout (server.shutdownTimeoutMs), so Docker's SIGKILL never cuts a drain short", () => {
    for (const [name, service] of apps) {
      const drainMs = Number(service.environment?.[envNameOf('server.shutdownTimeoutMs')] ?? defaults.server.shutdownTimeoutMs);
      const graceMs = durationMs(service.stop_grace_period ?? '10s'); // compose's default is 10 s
      expect([name, graceMs > drainMs]).toEqual([name, true]);
    }
  });

  it('passes docker-compose config -q where Debian\'s docker-compose is installed', () => {
    const run = spawnSync('docker-compose', ['config', '-q'], { cwd: ROOT, encoding: 'utf8' });
    if (run.error) return; // not installed here: the checks above still ran on the file
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('Dockerfile', () => {
  const froms = [...readFileSync(join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^FROM node:(\d+)[-\w.]*/gm)].map((m) => Number(m[1]));

  it('builds and runs on one Node.js major', () => {
    expect(froms.length).toBe(2);
    expect(new Set(froms).size).toBe(1);
  });

  it("uses a Node.js that every dependency's engines accept (the tag tracks the major's latest release)", () => {
    const latestOfMajor = `${froms[0]}.99.99`;
    const engines = enginesOfDependencies();
    expect(engines.length).toBeGreaterThan(100);
    const refused = engines.filter((e) => semver.validRange(e.range) !== null && !semver.satisfies(latestOfMajor, e.range));
    expect(refused).toEqual([]);
    expect(engines.filter((e) => semver.validRange(e.range) === null)).toEqual([]);
  });
});

import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { load as parseYaml } from 'js-yaml';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { AppConfig, envNameOf, loadConfig } from '@app/config';
import { HttpAppSpec } from '@app/platform';
import { inferenceAppSpec } from '../../apps/inference/src/inference-app';
import { GrpcServer } from '../../apps/inference/src/grpc/grpc-server.service';
import { QueueProcessorAppModule } from '../../apps/queue-processor/src/queue-processor-app.module';
import { SchedulerAppModule } from '../../apps/scheduler/src/scheduler-app.module';
import { healthClient } from '../support/grpc-client';
import { containerEnv, K8sObject, kustomize, typeCheck, validateWithSchema } from '../support/kubernetes';
import { freePort, killAll, Spawned, startRedisServer, waitFor } from '../support/processes';
import { startApp } from '../support/test-app';
import { CONFIG_DIR, MODELS_DIR, ROOT } from '../support/test-config';

const objects = kustomize(join(ROOT, 'deploy/kubernetes'));
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const deployments = byKind('Deployment');

/** Each Deployment's app: how it is started (its entry point in the image) and which setting is its port. */
const APPS: Record<string, { source: string; spec: HttpAppSpec; ports: Record<string, (c: AppConfig) => number> }> = {
  'dist/apps/inference/src/main.js': {
    source: 'apps/inference/src/main.ts',
    spec: inferenceAppSpec,
    ports: { http: (c) => c.server.port, grpc: (c) => c.grpc.port },
  },
  'dist/apps/queue-processor/src/main.js': {
    source: 'apps/queue-processor/src/main.ts',
    // as apps/queue-processor/src/main.ts starts it
    spec: { appName: 'queue-processor', rootModule: (c) => QueueProcessorAppModule.forRoot(c), port: (c) => c.queueProcessor.healthPort },
    ports: { http: (c) => c.queueProcessor.healthPort },
  },
  'dist/apps/scheduler/src/main.js': {
    source: 'apps/scheduler/src/main.ts',
    spec: { appName: 'scheduler', rootModule: (c) => SchedulerAppModule.forRoot(c), port: (c) => c.scheduler.healthPort },
    ports: { http: (c) => c.scheduler.healthPort },
  },
};

/** Every setting's environment name, from config/default.yaml (README's configuration table lists the same). */
const SETTING_NAMES = new Set(
  Object.entries(parseYaml(readFileSync(join(CONFIG_DIR, 'default.yaml'), 'utf8')) as Record<string, Record<string, unknown>>).flatMap(([section, values]) =>
    Object.keys(values).map((key) => envNameOf(`${section}.${key}`)),
  ),
);

const containerOf = (d: K8sObject) => d.spec.template.spec.containers[0];
const appOf = (d: K8sObject) => APPS[containerOf(d).command.at(-1)];
const probesOf = (c: any) => (['startupProbe', 'livenessProbe', 'readinessProbe'] as const).map((kind) => ({ kind, probe: c[kind] }));
const portNumber = (c: any, port: string | number) => (typeof port === 'number' ? port : c.ports.find((p: { name: string }) => p.name === port)?.containerPort);
/** The configuration the container's environment gives the app, as the app loads it. */
const configOf = (d: K8sObject) => loadConfig({ configDir: CONFIG_DIR, env: containerEnv(containerOf(d), objects) });

describe('deploy/kubernetes (kustomize)', () => {
  it('renders offline into the three Deployments and what they need', () => {
    const names = objects.map((o) => `${o.kind}/${o.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`).sort();
    expect(names).toEqual(
      [
        'ConfigMap/modelgate-config',
        'Deployment/modelgate-inference',
        'Deployment/modelgate-queue-processor',
        'Deployment/modelgate-scheduler',
        'HorizontalPodAutoscaler/modelgate-inference',
        'Namespace/modelgate',
        'PodDisruptionBudget/modelgate-inference',
        'PodDisruptionBudget/modelgate-queue-processor',
        'ScaledObject/modelgate-queue-processor',
        'Secret/modelgate-secrets',
        'Service/modelgate-inference',
        'Service/modelgate-queue-processor',
        'Service/modelgate-scheduler',
        'ServiceMonitor/modelgate',
      ].sort(),
    );
    for (const o of objects.filter((o) => o.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('modelgate');
  });

  it('validates against the Kubernetes schemas (and KEDA\'s and the Prometheus Operator\'s), types and fields both', () => {
    const invalid: string[] = [];
    for (const o of objects) {
      try {
        validateWithSchema(o);
      } catch (error) {
        invalid.push(`${o.kind}/${o.metadata.name}: ${(error as Error).message}`);
      }
    }
    expect(invalid).toEqual([]);
    expect(typeCheck(objects)).toEqual([]);
  });

  it('catches a misspelt field and a wrong type (the checks above do check)', () => {
    const broken = JSON.parse(JSON.stringify(named('Deployment', 'modelgate-inference'))) as K8sObject;
    containerOf(broken).livenessprobe = containerOf(broken).livenessProbe;
    broken.spec.replicas = 'two';
    expect(() => validateWithSchema(broken)).toThrow(/replicas/);
    expect(typeCheck([broken]).join('\n')).toMatch(/livenessprobe/);
  });

  it('names only documented settings in every container\'s environment', () => {
    for (const d of deployments) {
      const env = containerEnv(containerOf(d), objects);
      expect(Object.keys(env).filter((name) => !SETTING_NAMES.has(name))).toEqual([]);
      expect(() => configOf(d)).not.toThrow();
    }
  });

  it("exposes each app's configured ports, and gives SIGTERM's drain (server.shutdownTimeoutMs) time beyond the preStop pause", () => {
    for (const d of deployments) {
      const container = containerOf(d);
      const app = appOf(d);
      expect(app).toBeDefined();
      expect(existsSync(join(ROOT, app.source))).toBe(true);
      const config = configOf(d);
      for (const [name, setting] of Object.entries(app.ports)) expect(`${name}=${portNumber(container, name)}`).toBe(`${name}=${setting(config)}`);
      const preStopMs = 1000 * Number(container.lifecycle.preStop.exec.command.at(-1));
      expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
      expect(d.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopMs + config.server.shutdownTimeoutMs);
      expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
      expect(container.resources.limits.memory).toBeDefined();
      for (const { kind, probe } of probesOf(container)) expect(`${kind}: ${typeof probe?.httpGet?.path}`).toBe(`${kind}: string`);
    }
  });

  it('mounts a writable volume at every folder an app writes (the root file system is read-only)', () => {
    for (const d of deployments) {
      const container = containerOf(d);
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      const mounts = (container.volumeMounts ?? []).map((m: { mountPath: string }) => m.mountPath);
      expect(mounts).toContain(configOf(d).logging.dir);
      expect(mounts).toContain('/tmp');
    }
    // The image's WORKDIR is /app and it holds the default models where MODEL_REPOSITORY says.
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^COPY models \.\/models$/m);
    for (const d of deployments) expect(configOf(d).models.repository).toBe('/app/models');
  });

  it('routes every Service, budget, autoscaler and monitor to what exists', () => {
    const podLabels = (d: K8sObject) => d.spec.template.metadata.labels as Record<string, string>;
    const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    for (const service of byKind('Service')) {
      const pods = deployments.filter((d) => matches(service.spec.selector, podLabels(d)));
      expect(pods).toHaveLength(1);
      for (const port of service.spec.ports) expect(portNumber(containerOf(pods[0]), port.targetPort)).toBeDefined();
    }
    for (const pdb of byKind('PodDisruptionBudget')) expect(deployments.filter((d) => matches(pdb.spec.selector.matchLabels, podLabels(d)))).toHaveLength(1);
    for (const scaler of [...byKind('HorizontalPodAutoscaler'), ...byKind('ScaledObject')]) {
      expect(named('Deployment', scaler.spec.scaleTargetRef.name)).toBeDefined();
    }
    // KEDA makes its own HPA for the queue-processor: no second one may fight it.
    const scaled = byKind('ScaledObject').map((s) => s.spec.scaleTargetRef.name);
    expect(byKind('HorizontalPodAutoscaler').filter((h) => scaled.includes(h.spec.scaleTargetRef.name))).toEqual([]);
    const [monitor] = byKind('ServiceMonitor');
    const monitored = byKind('Service').filter((s) => matches(monitor.spec.selector.matchLabels, s.metadata.labels ?? {}));
    expect(monitored.map((s) => s.metadata.name).sort()).toEqual(['modelgate-inference', 'modelgate-queue-processor', 'modelgate-scheduler']);
    for (const s of monitored) for (const e of monitor.spec.endpoints) expect(s.spec.ports.map((p: { name: string }) => p.name)).toContain(e.port);
  });

  describe('against the real apps, started with the environment the manifests give them', () => {
    let redis: Spawned;
    let redisPort: number;
    const running: Array<{ close(): Promise<void> }> = [];
    beforeAll(async () => {
      redisPort = await freePort();
      redis = await startRedisServer(redisPort);
    });
    afterAll(async () => {
      await Promise.all(running.map((a) => a.close()));
      await redis?.kill();
      await killAll();
    });

    it.each(deployments.map((d) => [d.metadata.name, d] as const))('%s answers its probes on its ports, and /metrics', async (_name, d) => {
      const container = containerOf(d);
      const app = appOf(d);
      // The same environment, with free ports in place of the fixed ones (this machine is shared), this
      // checkout's models and a private Redis.
      const env = containerEnv(container, objects);
      const ports: Record<string, number> = {};
      for (const name of Object.keys(app.ports)) ports[name] = await freePort();
      const envNames: Record<string, string> = {
        'modelgate-inference/http': envNameOf('server.port'),
        'modelgate-inference/grpc': envNameOf('grpc.port'),
        'modelgate-queue-processor/http': envNameOf('queueProcessor.healthPort'),
        'modelgate-scheduler/http': envNameOf('scheduler.healthPort'),
      };
      for (const [name, port] of Object.entries(ports)) env[envNames[`${d.metadata.name}/${name}`]] = String(port);
      const config = loadConfig({
        configDir: CONFIG_DIR,
        env: { ...env, MODEL_REPOSITORY: MODELS_DIR, LOG_DIR: mkdtempSync(join(tmpdir(), 'modelgate-logs-')), MODELGATE_MODELS_WATCH: 'false' },
        overrides: { redis: { url: `redis://127.0.0.1:${redisPort}`, keyPrefix: `mgtest-k8s-${process.pid}-${d.metadata.name}` } },
      });
      for (const [name, setting] of Object.entries(app.ports)) expect(setting(config)).toBe(ports[name]);
      const started = await startApp({ ...app.spec, banner: () => [] }, config);
      running.push(started);
      const base = `http://127.0.0.1:${ports.http}`;
      for (const { kind, probe } of probesOf(container)) {
        expect(`${kind} on ${probe.httpGet.port}`).toBe(`${kind} on http`);
        await waitFor(`${d.metadata.name} ${kind} ${probe.httpGet.path} to answer 200`, async () => (await request(base).get(probe.httpGet.path)).status === 200, 60_000, 200);
      }
      const metrics = await request(base).get('/metrics').expect(200);
      if (d.metadata.name === 'modelgate-inference') {
        expect(started.app.get(GrpcServer).port).toBe(ports.grpc);
        const status = await new Promise<string>((resolve, reject) =>
          healthClient(`127.0.0.1:${ports.grpc}`).Check({ service: '' }, (e: Error | null, a: { status: string }) => (e ? reject(e) : resolve(a.status))),
        );
        expect(status).toBe('SERVING');
        // KEDA's query names series that modelgate exposes.
        const query: string = byKind('ScaledObject')[0].spec.triggers[0].metadata.query;
        for (const series of query.match(/modelgate_[a-z_]+/g) ?? []) expect(metrics.text).toMatch(new RegExp(`^${series}\\{`, 'm'));
      }
    });
  });
});

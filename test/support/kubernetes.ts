import { spawnSync } from 'child_process';
import { loadAll } from 'js-yaml';
import { join } from 'path';
import ts from 'typescript';
import { ROOT } from './test-config';

/** One rendered Kubernetes object, as `kubectl kustomize` prints it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: any;
}

/**
 * `kubectl kustomize <dir>`: kustomize as kubectl embeds it, offline (it reads only the files). kubectl
 * comes with this kind of machine (the google-cloud-cli packages); elsewhere `apt-get install kubectl`
 * from Kubernetes' own apt repository, or any kubectl since 1.27 (kustomize v5, for `labels:`).
 */
export function kustomize(dir: string): K8sObject[] {
  const out = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (out.error && (out.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('kubectl is not on PATH: install it (apt-get install kubectl, from the Kubernetes or Google Cloud apt repository) to render deploy/kubernetes');
  }
  if (out.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${out.stderr}`);
  return (loadAll(out.stdout) as K8sObject[]).filter(Boolean);
}

/** Where the model class of a kind lives: kubernetes-models for Kubernetes' own, its sibling packages for CRDs. */
function modelModule(obj: K8sObject): string {
  const crds: Record<string, string> = {
    'keda.sh/v1alpha1': '@kubernetes-models/keda/keda.sh/v1alpha1',
    'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
  };
  const base = crds[obj.apiVersion] ?? `kubernetes-models/${obj.apiVersion}`;
  return `${base}/${obj.kind}`;
}

/**
 * The JSON schema of the kind (kubernetes-models, generated from Kubernetes 1.27's OpenAPI document and
 * the CRDs' own schemas): types, enums, required fields. Throws naming the field.
 */
export function validateWithSchema(obj: K8sObject): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(modelModule(obj)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[obj.kind];
  if (!Model) throw new Error(`no model for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj).validate();
}

/**
 * The schemas above accept fields they do not know (a misspelt `livenessprobe` would pass and be dropped by
 * the API server). TypeScript's excess-property check does not: each object is compiled as a literal of
 * its kind's interface (the same package's types), and every unknown or mistyped field is a diagnostic.
 * Returns them, one line each, naming the object.
 */
export function typeCheck(objects: K8sObject[]): string[] {
  const files = new Map<string, string>();
  for (const [i, obj] of objects.entries()) {
    const file = join(ROOT, 'test', `.k8s-${i}-${obj.kind}-${obj.metadata.name}.ts`);
    files.set(file, `import type { I${obj.kind} } from '${modelModule(obj)}';\nexport const object: I${obj.kind} = ${JSON.stringify(obj, null, 2)};\n`);
  }
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.getSourceFile = (name, version, onError, create) =>
    files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version, onError, create);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.replace(/^.*\.k8s-\d+-/, '').replace(/\.ts$/, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The environment a container gets: its envFrom ConfigMaps and Secrets, then its own env (which wins). */
export function containerEnv(container: any, objects: K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  const named = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${container.name} takes its environment from ${kind} ${name}, which the manifests do not have`);
    return found;
  };
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, named('ConfigMap', source.configMapRef.name).data ?? {});
    if (source.secretRef) {
      const secret = named('Secret', source.secretRef.name);
      for (const [k, v] of Object.entries<string>(secret.data ?? {})) env[k] = Buffer.from(v, 'base64').toString('utf8');
      Object.assign(env, secret.stringData ?? {});
    }
  }
  for (const item of container.env ?? []) {
    if (item.valueFrom) throw new Error(`${container.name}: ${item.name} comes from valueFrom, which this test cannot resolve`);
    env[item.name] = item.value ?? '';
  }
  return env;
}

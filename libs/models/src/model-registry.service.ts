import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModelsConfig } from '@app/config';
import { ModelLoadError, ModelNotFoundError, ModelNotReadyError } from '@app/errors';
import { loadModelVersion, readLabels } from './model-loader';
import { planRepository, refusalToLoad } from './repository-plan';
import { ModelVersion, VersionState } from './model-version';
import { ModelFiles, ModelRepository } from './repository/model-repository';
import { MODEL_RUNTIME, ModelRuntime } from './runtime/model-runtime';
import { VersionLabels, versionOfLabel } from './version-labels';
import { selectVersions } from './version-policy';

export interface VersionStatus {
  version: number;
  state: VersionState;
  error?: string;
}

export interface ModelStatus {
  name: string;
  versions: VersionStatus[];
  /** A problem with the model as a whole (unreadable model.json), shown beside its versions. */
  error?: string;
  /** Unloaded through the control API and kept so. */
  unloadedByRequest?: true;
}

interface VersionRecord {
  version: number;
  state: VersionState;
  servable?: ModelVersion;
  fingerprint?: string;
  configHash?: string;
  error?: string;
}

interface ModelEntry {
  name: string;
  versions: Map<number, VersionRecord>;
  latest?: ModelVersion;
  /** model.json `versionLabels` as last read (kept when a later model.json is unreadable, as the versions are). */
  versionLabels?: VersionLabels;
  error?: string;
  /** Unloaded through the control API: rescans leave it alone until it is loaded again. */
  heldUnloaded: boolean;
  /** Serialises changes to one model: a rescan and a control call never interleave. */
  lock: Promise<void>;
  /** The API request a control call is serving: its lines carry the id (the lock makes it unambiguous). */
  requestId?: string;
}

/** Who asked for a control call: lines the registry writes while serving it carry the request id. */
export interface ControlOrigin {
  requestId?: string;
}

export type UnloadHook = (version: ModelVersion) => Promise<void>;
export type AvailableHook = (version: ModelVersion) => void;
/** Throws to refuse a loaded version before it takes traffic (settings other libraries own). */
export type ValidateHook = (version: ModelVersion) => void;

/**
 * The models being served and the state of each version. Changes are made by `sync` (scan the files and
 * converge), `load` and `unload`; a new servable is loaded and warmed before it replaces the old one, and
 * the old one is drained (unload hooks, then its instances) after it stops taking new requests.
 */
@Injectable()
export class ModelRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ModelRegistry');
  private readonly models = new Map<string, ModelEntry>();
  private readonly unloadHooks: UnloadHook[] = [];
  private readonly availableHooks: AvailableHook[] = [];
  private readonly validateHooks: ValidateHook[] = [];

  constructor(
    readonly repository: ModelRepository,
    private readonly config: ModelsConfig,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
  ) {}

  /** Runs before a version's instances close: the batcher above drains it here. */
  onUnloading(hook: UnloadHook): void {
    this.unloadHooks.push(hook);
  }

  onValidate(hook: ValidateHook): void {
    this.validateHooks.push(hook);
  }

  /** Runs when a version starts taking traffic (queue workers start consuming for it). */
  onAvailable(hook: AvailableHook): void {
    this.availableHooks.push(hook);
  }

  /** Scans the whole repository and converges every model to it. */
  async syncAll(): Promise<void> {
    const names = await this.repository.listModelNames();
    for (const gone of [...this.models.keys()].filter((n) => !names.includes(n))) await this.sync(gone);
    await Promise.all(names.map((name) => this.sync(name)));
  }

  /** Converges one model to what its folder holds now. */
  sync(name: string): Promise<void> {
    return this.exclusive(name, async (entry) => {
      if (entry.heldUnloaded) return;
      await this.converge(entry);
    });
  }

  /** Control API: load (or reload) a model now, even one that was unloaded by request. */
  async load(name: string, origin: ControlOrigin = {}): Promise<ModelStatus> {
    if (!(await this.repository.exists(name))) throw new ModelNotFoundError(name);
    await this.exclusive(name, async (entry) => {
      entry.heldUnloaded = false;
      await this.converge(entry);
      if (entry.error) throw new ModelLoadError(entry.error);
      const failed = [...entry.versions.values()].find((r) => r.error && !r.servable);
      if (failed) throw new ModelLoadError(failed.error!);
    }, origin);
    return this.status(name);
  }

  /** Control API: unload every version and keep the model unloaded until `load`. */
  async unload(name: string, origin: ControlOrigin = {}): Promise<void> {
    if (!this.models.has(name)) throw new ModelNotFoundError(name);
    await this.exclusive(name, async (entry) => {
      entry.heldUnloaded = true;
      await Promise.all([...entry.versions.values()].map((r) => this.unloadRecord(entry, r)));
    }, origin);
  }

  /** The servable for a request: a given version, or the newest available one. */
  resolve(name: string, version?: number): ModelVersion {
    const entry = this.models.get(name);
    if (!entry) throw new ModelNotFoundError(name);
    if (version === undefined) {
      if (entry.latest) return entry.latest;
      throw new ModelNotReadyError(`model '${name}' has no available version${this.reason(entry)}`);
    }
    const record = entry.versions.get(version);
    if (!record) throw new ModelNotFoundError(name, version);
    if (record.servable && record.state === 'AVAILABLE') return record.servable;
    // Not served by choice (version policy, unloaded): as absent as a version that does not exist.
    if (record.state === 'END' && !record.error) throw new ModelNotFoundError(name, version);
    throw new ModelNotReadyError(`version ${version} of model '${name}' is ${record.state}${record.error ? `: ${record.error}` : ''}`);
  }

  /** The version a model.json version label names (TF Serving's version labels), whether or not it is available. */
  labelVersion(name: string, label: string): number {
    const entry = this.models.get(name);
    if (!entry) throw new ModelNotFoundError(name);
    return versionOfLabel(entry.versionLabels, name, label);
  }

  has(name: string): boolean {
    return this.models.has(name);
  }

  names(): string[] {
    return [...this.models.keys()].sort();
  }

  status(name: string): ModelStatus {
    const entry = this.models.get(name);
    if (!entry) throw new ModelNotFoundError(name);
    const versions = [...entry.versions.values()]
      .sort((a, b) => b.version - a.version)
      .map((r) => ({ version: r.version, state: r.state, ...(r.error ? { error: r.error } : {}) }));
    return {
      name,
      versions,
      ...(entry.error ? { error: entry.error } : {}),
      ...(entry.heldUnloaded ? { unloadedByRequest: true as const } : {}),
    };
  }

  /** Every available servable (metrics, health, queue workers). */
  available(): ModelVersion[] {
    return [...this.models.values()].flatMap((e) =>
      [...e.versions.values()].filter((r) => r.state === 'AVAILABLE' && r.servable).map((r) => r.servable!),
    );
  }

  /**
   * Re-reads what a model's versions take from files besides the graph (the labels file, model.json's
   * reference statistics) and swaps each version's set in one assignment: no restart, no failed request.
   * A labels file that no longer fits the model is refused and the current set kept.
   */
  async refreshReference(name: string): Promise<number> {
    let refreshed = 0;
    await this.exclusive(name, async (entry) => {
      if (![...entry.versions.values()].some((r) => r.servable)) throw new ModelNotReadyError(`model '${name}' has no loaded version to refresh`);
      const files = await this.repository.read(name);
      const labels = await readLabels(this.repository, files);
      for (const record of entry.versions.values()) {
        const servable = record.servable;
        if (!servable) continue;
        const post = servable.config.postprocess;
        const output = post && servable.signature.graphOutputs.find((o) => o.name === post.output);
        const classes = output?.shape[output.shape.length - 1];
        if (labels && classes !== undefined && classes !== -1 && classes !== labels.length) {
          throw new ModelLoadError(`${servable.id}: the labels file now has ${labels.length} labels but the model has ${classes} classes; kept the current labels`);
        }
        servable.refreshReference({ labels: labels ?? servable.labels, reference: files.config.reference });
        refreshed++;
      }
    });
    return refreshed;
  }

  /** Models are loaded before the app listens, so readiness is true from the first request. */
  async onModuleInit(): Promise<void> {
    const started = Date.now();
    await this.checkPlan();
    await this.syncAll();
    const loaded = this.available().map((v) => v.id);
    this.logger.log(`model repository ${this.repository.root}: ${loaded.length} version(s) available in ${Date.now() - started} ms (${loaded.join(', ') || 'none'})`);
  }

  /** Last of the shutdown hooks: HTTP has stopped and queue workers have finished their jobs by now. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.models.values()].map((entry) =>
        this.exclusive(entry.name, async (e) => {
          await Promise.all([...e.versions.values()].map((r) => this.unloadRecord(e, r)));
        }),
      ),
    );
  }

  /**
   * The worker rule over every version the repository asks for, logged per model; a repository
   * that asks for more than the machine can hold stops the start with the reason.
   */
  private async checkPlan(): Promise<void> {
    const plan = await planRepository(this.repository, this.config);
    for (const line of plan.lines) this.logger.log(`plan ${line}`);
    if (plan.refusal) throw new ModelLoadError(`Refusing the model repository ${this.repository.root}: ${plan.refusal}`);
  }

  private async converge(entry: ModelEntry): Promise<void> {
    let files: ModelFiles;
    try {
      files = await this.repository.read(entry.name);
      entry.error = undefined;
      entry.versionLabels = files.config.versionLabels;
    } catch (error) {
      const message = (error as Error).message;
      if (!(await this.repository.exists(entry.name).catch(() => false))) return this.remove(entry);
      // An unreadable model.json leaves the versions that serve in place.
      if (entry.error !== message) this.note(entry, 'error', `model '${entry.name}' not updated: ${message}`);
      entry.error = message;
      return;
    }
    const wanted = new Set(selectVersions(files.versions.map((v) => v.version), files.config.versionPolicy));
    const loads: Promise<void>[] = [];
    for (const vf of files.versions) {
      if (!wanted.has(vf.version)) {
        // On disk but outside the version policy: listed as END so the status routes show every version.
        if (!entry.versions.has(vf.version)) entry.versions.set(vf.version, { version: vf.version, state: 'END' });
        continue;
      }
      let record = entry.versions.get(vf.version);
      const unchanged = record && record.fingerprint === vf.fingerprint && record.configHash === files.configHash;
      if (record && unchanged && (record.servable || record.state === 'END')) continue;
      if (!record) {
        record = { version: vf.version, state: 'START' };
        entry.versions.set(vf.version, record);
      }
      loads.push(this.loadRecord(entry, record, files, vf.fingerprint));
    }
    await Promise.all(loads);
    const onDisk = new Set(files.versions.map((v) => v.version));
    // Versions leaving the policy keep serving until every version that replaces them has loaded: a
    // broken new version must not take the working one down with it.
    const replacementsReady = [...wanted].every((v) => entry.versions.get(v)?.state === 'AVAILABLE');
    for (const record of [...entry.versions.values()]) {
      if (wanted.has(record.version)) continue;
      if (!replacementsReady && record.servable && onDisk.has(record.version)) {
        this.note(entry, 'warn', `${entry.name}@${record.version} keeps serving until the versions that replace it load`);
        continue;
      }
      await this.unloadRecord(entry, record);
      if (!onDisk.has(record.version)) entry.versions.delete(record.version);
    }
    this.updateLatest(entry);
  }

  private async loadRecord(entry: ModelEntry, record: VersionRecord, files: ModelFiles, fingerprint: string): Promise<void> {
    const vf = files.versions.find((v) => v.version === record.version)!;
    const replacing = record.servable;
    if (!replacing) record.state = 'LOADING';
    const started = Date.now();
    try {
      const refusal = refusalToLoad(this.available().filter((s) => s !== replacing), files, vf, this.config);
      if (refusal) throw new ModelLoadError(`${entry.name}@${record.version} not loaded: ${refusal}`);
      const servable = await loadModelVersion(
        this.runtime,
        this.repository,
        files,
        vf,
        { instances: this.config.defaultInstances, threads: this.config.defaultThreads, warmup: this.config.warmup },
        {
          onInstanceEvent: (e) => this.note(entry, 'warn', `${entry.name}@${record.version}: ${e.kind}: ${e.message}`),
          onWarning: (m) => this.note(entry, 'warn', m),
        },
      );
      try {
        for (const hook of this.validateHooks) hook(servable);
      } catch (error) {
        await servable.pool.close();
        throw new ModelLoadError(`${servable.id}: ${(error as Error).message}`);
      }
      Object.assign(record, { servable, state: 'AVAILABLE', fingerprint, configHash: files.configHash, error: undefined });
      this.updateLatest(entry);
      const { plan } = servable;
      this.note(
        entry,
        'log',
        `${servable.id} ${replacing ? 'reloaded' : 'loaded'} in ${Date.now() - started} ms: ${plan.instances} instance(s) x ${plan.threads} thread(s) on ${plan.provider}`,
      );
      for (const hook of this.availableHooks) {
        try {
          hook(servable);
        } catch (error) {
          this.note(entry, 'error', `${servable.id}: ${(error as Error).message}`);
        }
      }
      if (replacing) await this.retire(replacing);
    } catch (error) {
      const message = (error as Error).message;
      // The fingerprint is kept so the same broken file is not retried on every rescan.
      Object.assign(record, { fingerprint, configHash: files.configHash, error: message });
      if (!replacing) record.state = 'END';
      this.note(entry, 'error', replacing ? `${message} (version ${record.version} keeps serving the previous load)` : message);
    }
  }

  private async unloadRecord(entry: ModelEntry, record: VersionRecord): Promise<void> {
    const servable = record.servable;
    if (!servable) {
      record.state = 'END';
      record.fingerprint = undefined;
      return;
    }
    record.state = 'UNLOADING';
    record.servable = undefined;
    record.fingerprint = undefined; // nothing of the files is loaded any more: the next sync loads afresh
    this.updateLatest(entry);
    await this.retire(servable);
    record.state = 'END';
    this.note(entry, 'log', `${servable.id} unloaded`);
  }

  /** Lets requests already admitted finish (unload hooks drain batchers), then stops the instances. */
  private async retire(servable: ModelVersion): Promise<void> {
    for (const hook of this.unloadHooks) {
      await hook(servable).catch((e: Error) => this.logger.error(`${servable.id}: unload hook failed: ${e.message}`));
    }
    await servable.pool.close();
  }

  private remove(entry: ModelEntry): Promise<void> {
    return Promise.all([...entry.versions.values()].map((r) => this.unloadRecord(entry, r))).then(() => {
      this.models.delete(entry.name);
      this.logger.log(`model '${entry.name}' removed from the repository`);
    });
  }

  private updateLatest(entry: ModelEntry): void {
    let latest: ModelVersion | undefined;
    for (const r of entry.versions.values()) {
      if (r.state === 'AVAILABLE' && r.servable && (!latest || r.version > latest.version)) latest = r.servable;
    }
    entry.latest = latest;
  }

  private reason(entry: ModelEntry): string {
    const failed = [...entry.versions.values()].find((r) => r.error);
    if (entry.error) return `: ${entry.error}`;
    if (failed) return `: ${failed.error}`;
    if ([...entry.versions.values()].some((r) => r.state === 'LOADING')) return ' yet (loading)';
    return entry.heldUnloaded ? ' (unloaded)' : '';
  }

  private note(entry: ModelEntry, level: 'log' | 'warn' | 'error', message: string): void {
    if (entry.requestId === undefined) this.logger[level](message);
    else this.logger[level]({ message, requestId: entry.requestId });
  }

  private exclusive(name: string, work: (entry: ModelEntry) => Promise<void>, origin: ControlOrigin = {}): Promise<void> {
    let entry = this.models.get(name);
    if (!entry) {
      entry = { name, versions: new Map(), heldUnloaded: false, lock: Promise.resolve() };
      this.models.set(name, entry);
    }
    const target = entry;
    const run = target.lock.then(async () => {
      target.requestId = origin.requestId;
      try {
        await work(target);
      } finally {
        target.requestId = undefined;
      }
    });
    target.lock = run.catch(() => undefined);
    return run;
  }
}

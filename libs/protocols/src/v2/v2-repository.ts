import { ModelRegistry } from '@app/models';

/** One row of the repository extension's index: READY, LOADING, UNLOADING or UNAVAILABLE, with why. */
export interface RepositoryIndexEntry {
  name: string;
  version: string;
  state: string;
  reason: string;
}

/** The repository index of the V2 repository extension (REST and gRPC), from the registry's view of every model. */
export function repositoryIndex(registry: ModelRegistry, readyOnly: boolean): RepositoryIndexEntry[] {
  const entries = registry.names().flatMap((name) => {
    const status = registry.status(name);
    if (status.versions.length === 0) return [{ name, version: '', state: 'UNAVAILABLE', reason: status.error ?? 'no version folder with a model.onnx' }];
    return status.versions.map((v) => ({
      name,
      version: String(v.version),
      state: v.state === 'AVAILABLE' ? 'READY' : v.state === 'LOADING' || v.state === 'START' ? 'LOADING' : v.state === 'UNLOADING' ? 'UNLOADING' : 'UNAVAILABLE',
      reason: v.error ?? (status.unloadedByRequest ? 'unloaded' : ''),
    }));
  });
  return readyOnly ? entries.filter((e) => e.state === 'READY') : entries;
}

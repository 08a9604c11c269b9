import { ModelsConfig } from '@app/config';
import { ModelRegistry } from '../model-registry.service';
import { ModelRepository } from '../repository/model-repository';
import { FakeRuntime } from './fake-runtime';
import { TempModelRepository } from './temp-model-repository';

export interface RegistryHarness {
  repo: TempModelRepository;
  runtime: FakeRuntime;
  registry: ModelRegistry;
  /** Shuts the registry down (closing what is open) and deletes the folder. */
  close(): Promise<void>;
}

/** A ModelRegistry over a temp repository and the fake runtime; maxInstances is fixed so the machine's cores do not matter. */
export function createRegistryHarness(settings: Partial<ModelsConfig> = {}): RegistryHarness {
  const repo = new TempModelRepository();
  const runtime = new FakeRuntime();
  const config: ModelsConfig = {
    repository: repo.root,
    watch: false,
    pollIntervalSeconds: 0,
    warmup: true,
    defaultInstances: 1,
    defaultThreads: 1,
    maxInstances: 64,
    ...settings,
  };
  const registry = new ModelRegistry(new ModelRepository(repo.root), config, runtime);
  return {
    repo,
    runtime,
    registry,
    close: async () => {
      await registry.onApplicationShutdown();
      repo.remove();
    },
  };
}

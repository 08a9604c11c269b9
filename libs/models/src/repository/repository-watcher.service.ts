import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FSWatcher, watch } from 'chokidar';
import { ModelsConfig } from '@app/config';
import { ModelRegistry } from '../model-registry.service';

/**
 * Hot reload: file events on the repository converge the model they touch, a short while after the last
 * event (a model file being copied fires many); a periodic rescan catches what events miss (network
 * volumes, events lost under load). Loading a new version before it takes traffic, and keeping the old
 * one on failure, is the registry's job.
 */
@Injectable()
export class RepositoryWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RepositoryWatcher');
  private watcher?: FSWatcher;
  private poller?: NodeJS.Timeout;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly config: ModelsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const root = this.registry.repository.root;
    if (this.config.watch) {
      this.watcher = watch(root, {
        ignoreInitial: true,
        depth: 3,
        // A model.onnx still being written would load as corrupt; wait until its size settles.
        awaitWriteFinish: { stabilityThreshold: 300, pollInterval: 100 },
      });
      this.watcher.on('all', (_event, path) => this.changed(path));
      this.watcher.on('error', (error) => this.logger.warn(`watching ${root}: ${(error as Error).message}`));
      // Changes made before the initial scan ends are not reported: be watching before the app listens.
      await new Promise<void>((resolve) => this.watcher!.once('ready', resolve));
    }
    if (this.config.pollIntervalSeconds > 0) {
      this.poller = setInterval(() => void this.rescan(), this.config.pollIntervalSeconds * 1000);
      this.poller.unref();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await this.watcher?.close();
  }

  private changed(path: string): void {
    if (this.stopped) return;
    let name: string | undefined;
    try {
      name = this.registry.repository.modelOf(path);
    } catch {
      name = undefined; // a single-model directory without a valid name: the rescan reports it
    }
    const key = name ?? '*';
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        const work = key === '*' ? this.registry.syncAll() : this.registry.sync(key);
        void work.catch((error: Error) => this.logger.error(`reloading ${key === '*' ? 'the repository' : key}: ${error.message}`));
      }, 200),
    );
  }

  private async rescan(): Promise<void> {
    if (this.stopped) return;
    await this.registry.syncAll().catch((error: Error) => this.logger.error(`periodic rescan: ${error.message}`));
  }
}

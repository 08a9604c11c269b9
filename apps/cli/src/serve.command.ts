import { resolve } from 'path';
import { configDir } from './cli-config';

export interface ServeFlags {
  port?: number;
  repository?: string;
  workers?: string;
  redisUrl?: string;
}

/**
 * `modelgate serve`: what `npm start` runs (the three apps in one process, embedded Redis when none
 * answers), with the common settings as options. They go through the settings' documented environment
 * names, so the server reads them exactly as it reads them at any other start.
 */
export async function serveCommand(flags: ServeFlags): Promise<void> {
  if (flags.port !== undefined) process.env.PORT = String(flags.port);
  if (flags.repository !== undefined) process.env.MODEL_REPOSITORY = resolve(flags.repository);
  if (flags.workers !== undefined) process.env.MODELGATE_SERVER_WORKERS = flags.workers;
  if (flags.redisUrl !== undefined) process.env.REDIS_URL = flags.redisUrl;
  // Run from any folder, the server still finds the checkout's (or the image's) config/.
  process.env.CONFIG_DIR = configDir();
  // src/main starts the server when loaded; in the built image it is dist/src/main.js, beside dist/apps.
  await import('../../../src/main');
}

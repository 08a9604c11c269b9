import cluster from 'node:cluster';
import { exitOnStartFailure, launchServer, loadConfigOrExit, startHttpApp } from '@app/platform';
import { inferenceAppSpec } from '../apps/inference/src/inference-app';
import { AllInOneModule } from './all-in-one.module';
import { ensureRedis } from './embedded-redis';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // The primary (or the single process) makes sure Redis answers; workers find it running.
  if (cluster.isPrimary) {
    const redis = await ensureRedis(config.redis.url, config.redis.embedded);
    if (redis.kind === 'missing') {
      process.stderr.write(`${redis.message}\n`);
      process.exit(1);
    }
    if (redis.kind === 'embedded') {
      process.stdout.write(`No Redis answered at ${config.redis.url}: started a private redis-server on port ${redis.port} (keeps nothing on disk, stops with modelgate).\n`);
      process.once('exit', redis.stop);
    }
  }
  // With server.workers > 1, worker 0 runs the three apps and the others the inference app alone: the
  // queue workers and the scheduler run once however many HTTP workers there are.
  await launchServer(
    config,
    (index) =>
      index === undefined || index === 0
        ? startHttpApp({ ...inferenceAppSpec, appName: 'modelgate', rootModule: (c) => AllInOneModule.forRoot(c) }, config)
        : startHttpApp({ ...inferenceAppSpec, appName: `inference-${index}` }, config),
    (line) => process.stdout.write(`modelgate: ${line}\n`),
  );
}

void main().catch(exitOnStartFailure);

import { exitOnStartFailure, loadConfigOrExit, startHttpApp } from '@app/platform';
import { inferenceAppSpec } from '../apps/inference/src/inference-app';
import { AllInOneModule } from './all-in-one.module';
import { ensureRedis } from './embedded-redis';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const redis = await ensureRedis(config.redis.url, config.redis.embedded);
  if (redis.kind === 'missing') {
    process.stderr.write(`${redis.message}\n`);
    process.exit(1);
  }
  if (redis.kind === 'embedded') {
    process.stdout.write(`No Redis answered at ${config.redis.url}: started a private redis-server on port ${redis.port} (keeps nothing on disk, stops with modelgate).\n`);
    process.once('exit', redis.stop);
  }
  await startHttpApp({ ...inferenceAppSpec, appName: 'modelgate', rootModule: (c) => AllInOneModule.forRoot(c) }, config);
}

void main().catch(exitOnStartFailure);

import { exitOnStartFailure, launchServer, loadConfigOrExit, startHttpApp } from '@app/platform';
import { inferenceAppSpec } from './inference-app';

const config = loadConfigOrExit();
void launchServer(
  config,
  (index) => startHttpApp(index === undefined ? inferenceAppSpec : { ...inferenceAppSpec, appName: `inference-${index}` }, config),
  (line) => process.stdout.write(`inference: ${line}\n`),
).catch(exitOnStartFailure);

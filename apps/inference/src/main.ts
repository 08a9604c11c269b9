import { exitOnStartFailure, startHttpApp } from '@app/platform';
import { inferenceAppSpec } from './inference-app';

void startHttpApp(inferenceAppSpec).catch(exitOnStartFailure);

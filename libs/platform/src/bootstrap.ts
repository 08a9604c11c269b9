import { DynamicModule, Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, ConfigError, loadConfig } from '@app/config';
import { ModelgateError } from '@app/errors';
import { AccessLogModule, createLogging, createNestLogger } from '@app/logging';
import { MetricsService } from '@app/metrics';
import { createHttpApp } from './http-app.factory';

export interface HttpAppSpec {
  /** Names the log files and console lines. */
  appName: string;
  rootModule: (config: AppConfig) => DynamicModule;
  port: (config: AppConfig) => number;
  /** Runs after the app is created and before it listens (Swagger, extra routes). */
  configure?: (app: NestFastifyApplication, config: AppConfig) => void | Promise<void>;
  /** Lines printed once listening, given the base URL. */
  banner?: (baseUrl: string) => string[];
}

/** Loads the configuration or exits with its one-line reason: a bad setting must stop the app at once. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export interface StartOptions {
  /** Tests keep the console quiet; the log files are written all the same. */
  console?: boolean;
}

/** Creates, configures and starts one HTTP app with modelgate's logging, errors and metrics. */
export async function startHttpApp(
  spec: HttpAppSpec,
  config: AppConfig = loadConfigOrExit(),
  options: StartOptions = {},
): Promise<NestFastifyApplication> {
  const { winston, access } = createLogging({
    appName: spec.appName,
    level: config.logging.level,
    dir: config.logging.dir,
    configDir: config.configDir,
    console: options.console,
    accessLog: config.logging.accessLog,
  });
  let metrics: MetricsService | undefined;
  const root = spec.rootModule(config);
  const app = await createHttpApp({ ...root, imports: [...(root.imports ?? []), AccessLogModule.forRoot(access)] }, {
    server: config.server,
    nestLogger: createNestLogger(winston),
    access,
    onResponse: (o) => metrics?.observeHttp(o),
  });
  metrics = app.get(MetricsService);
  try {
    await spec.configure?.(app, config);
    await app.listen(spec.port(config), config.server.host);
  } catch (error) {
    // Init hooks that failed (a refused repository, bad schedules) leave connections open: close them.
    await app.close().catch(() => undefined);
    throw error;
  }
  armShutdownWatchdog(config.server.shutdownTimeoutMs, spec.appName);
  const base = baseUrl(app, config.server.host);
  const logger = new Logger(spec.appName);
  for (const line of spec.banner?.(base) ?? [`listening on ${base}`]) logger.log(line);
  return app;
}

/**
 * Nest drains on SIGTERM (HTTP, queue workers, batches in hand); this bounds how long, so an orchestrator
 * waiting on the process is never held by a stuck dependency.
 */
let watchdogArmed = false;
function armShutdownWatchdog(timeoutMs: number, appName: string): void {
  if (timeoutMs <= 0 || watchdogArmed) return;
  watchdogArmed = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`${appName}: shutdown took longer than server.shutdownTimeoutMs (${timeoutMs} ms); exiting\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}

function baseUrl(app: NestFastifyApplication, host: string): string {
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown}:${port}`;
}

/**
 * For the launchers (`void startHttpApp(...).catch(exitOnStartFailure)`): a start that fails for a
 * reason we know (a refused model repository, a bad setting) ends with that one line, not a stack trace.
 */
export function exitOnStartFailure(error: unknown): never {
  const known = error instanceof ModelgateError || error instanceof ConfigError;
  process.stderr.write(known ? `Cannot start: ${(error as Error).message}\n` : `Cannot start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
}

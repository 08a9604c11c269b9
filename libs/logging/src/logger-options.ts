import { existsSync, readFileSync } from 'fs';
import { load as parseYaml } from 'js-yaml';
import { join } from 'path';

/** config/logger.yaml: where log lines go and how long they are kept. */
export interface LoggerFileOptions {
  console: { enabled: boolean; format: 'pretty' | 'json' };
  files: {
    enabled: boolean;
    filename: string;
    datePattern: string;
    maxFiles: string;
    maxSize: string;
    zippedArchive: boolean;
    errorFilename: string;
  };
}

const DEFAULTS: LoggerFileOptions = {
  console: { enabled: true, format: 'pretty' },
  files: {
    enabled: true,
    filename: 'modelgate-%DATE%.log',
    datePattern: 'YYYY-MM-DD',
    maxFiles: '7d',
    maxSize: '100m',
    zippedArchive: false,
    errorFilename: 'modelgate-error-%DATE%.log',
  },
};

export function readLoggerOptions(configDir: string): LoggerFileOptions {
  const file = join(configDir, 'logger.yaml');
  if (!existsSync(file)) return DEFAULTS;
  const raw = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Partial<LoggerFileOptions>;
  const options = {
    console: { ...DEFAULTS.console, ...raw.console },
    files: { ...DEFAULTS.files, ...raw.files },
  };
  if (!['pretty', 'json'].includes(options.console.format)) {
    throw new Error(`Invalid configuration: ${file} console.format must be pretty or json`);
  }
  return options;
}

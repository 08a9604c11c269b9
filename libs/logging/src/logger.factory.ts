import { LoggerService } from '@nestjs/common';
import { WinstonModule } from 'nest-winston';
import { createLogger, format, Logger, transports } from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import { MESSAGE } from 'triple-beam';
import { RequestContext } from './request-context';
import { readLoggerOptions } from './logger-options';

export interface CreateLoggerOptions {
  /** Shown in console lines and used to name log files when apps run as separate processes. */
  appName: string;
  level: string;
  dir: string;
  configDir: string;
  /** Tests turn the console off to keep their output readable; files stay on. */
  console?: boolean;
}

const LEVEL_COLORS: Record<string, string> = { error: '31', warn: '33', info: '32', debug: '35', verbose: '36' };
const OWN_FIELDS = new Set(['level', 'message', 'timestamp', 'context', 'requestId', 'ms', 'stack']);
/** Fields of the access line that its message already says: kept for the JSON files only. */
const ACCESS_FIELDS = new Set(['method', 'route', 'status', 'latencyMs']);

/**
 * Console lines in Nest's layout (`[app] pid  time  LEVEL [Context] message`), built by concatenation: the
 * access line is written once per request, and nest-winston's nestLike (locale dates, inspection of every
 * field) cost about 10 us of main thread a line, measured.
 */
function prettyConsole(appName: string, colors: boolean) {
  const pid = process.pid;
  return format((info) => {
    const record = info as Record<string | symbol, unknown>;
    const level = String(info.level).toUpperCase().padStart(7);
    const shown = colors ? `\x1b[${LEVEL_COLORS[info.level] ?? '37'}m${level}\x1b[39m` : level;
    const context = info.context ? ` [${String(info.context)}]` : '';
    let extra = '';
    for (const key of Object.keys(info)) {
      if (OWN_FIELDS.has(key) || (info.context === 'Access' && ACCESS_FIELDS.has(key))) continue;
      extra += ` ${key}=${typeof info[key] === 'string' ? info[key] : JSON.stringify(info[key])}`;
    }
    const id = info.requestId ? ` (request ${String(info.requestId)})` : '';
    const stack = typeof info.stack === 'string' ? `\n${info.stack}` : '';
    record[MESSAGE] = `[${appName}] ${pid}  ${String(info.timestamp)} ${shown}${context} ${String(info.message)}${extra}${id}${stack}`;
    return info;
  })();
}

/** Adds the current request id, when there is one, to every line. */
const requestId = format((info) => {
  const id = RequestContext.requestId();
  if (id !== undefined && info.requestId === undefined) info.requestId = id;
  return info;
});

export function createWinstonLogger(options: CreateLoggerOptions): Logger {
  const file = readLoggerOptions(options.configDir);
  const sinks = [];
  if (file.console.enabled && options.console !== false) {
    sinks.push(
      new transports.Console({
        format:
          file.console.format === 'json'
            ? format.combine(format.timestamp(), requestId(), format.json())
            : format.combine(format.timestamp(), requestId(), prettyConsole(options.appName, process.stdout.isTTY === true)),
      }),
    );
  }
  if (file.files.enabled) {
    const name = (pattern: string) => pattern.replace(/^modelgate(?=-)/, options.appName);
    const rotating = (filename: string, level?: string) =>
      new DailyRotateFile({
        dirname: options.dir,
        filename: name(filename),
        datePattern: file.files.datePattern,
        maxFiles: file.files.maxFiles,
        maxSize: file.files.maxSize,
        zippedArchive: file.files.zippedArchive,
        level,
        format: format.combine(format.timestamp(), requestId(), format.json()),
      });
    sinks.push(rotating(file.files.filename), rotating(file.files.errorFilename, 'error'));
  }
  return createLogger({ level: options.level, transports: sinks, exitOnError: false });
}

/** The Nest logger of an app: Nest's own `Logger` calls anywhere in the code land here. */
export function createNestLogger(instance: Logger): LoggerService {
  return WinstonModule.createLogger({ instance });
}

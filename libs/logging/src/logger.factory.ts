import { LoggerService } from '@nestjs/common';
import { WinstonModule } from 'nest-winston';
import { createLogger, format, Logger, transports } from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import { MESSAGE } from 'triple-beam';
import { AccessLog, AccessSink, jsonAccessLine } from './access-log';
import { readLoggerOptions } from './logger-options';

export interface CreateLoggerOptions {
  /** Shown in console lines and used to name log files when apps run as separate processes. */
  appName: string;
  level: string;
  dir: string;
  configDir: string;
  /** Tests turn the console off to keep their output readable; files stay on. */
  console?: boolean;
  /** One line per request (logging.accessLog). */
  accessLog?: boolean;
}

/** The app's logger and its access log, which writes to the same transports. */
export interface Logging {
  winston: Logger;
  access: AccessLog;
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
function prettyLine(appName: string, colors: boolean, level: string, timestamp: string, context: string, message: string, tail: string): string {
  const padded = level.toUpperCase().padStart(7);
  const shown = colors ? `\x1b[${LEVEL_COLORS[level] ?? '37'}m${padded}\x1b[39m` : padded;
  return `[${appName}] ${process.pid}  ${timestamp} ${shown}${context ? ` [${context}]` : ''} ${message}${tail}`;
}

function prettyConsole(appName: string, colors: boolean) {
  return format((info) => {
    const record = info as Record<string | symbol, unknown>;
    let extra = '';
    for (const key of Object.keys(info)) {
      if (OWN_FIELDS.has(key) || (info.context === 'Access' && ACCESS_FIELDS.has(key))) continue;
      extra += ` ${key}=${typeof info[key] === 'string' ? info[key] : JSON.stringify(info[key])}`;
    }
    const id = info.requestId ? ` (request ${String(info.requestId)})` : '';
    const stack = typeof info.stack === 'string' ? `\n${info.stack}` : '';
    record[MESSAGE] = prettyLine(appName, colors, String(info.level), String(info.timestamp), info.context ? String(info.context) : '', String(info.message), `${extra}${id}${stack}`);
    return info;
  })();
}

export function createLogging(options: CreateLoggerOptions): Logging {
  const file = readLoggerOptions(options.configDir);
  const sinks = [];
  const access: AccessSink[] = [];
  if (file.console.enabled && options.console !== false) {
    const colors = process.stdout.isTTY === true;
    const console = new transports.Console({
      format:
        file.console.format === 'json'
          ? format.combine(format.timestamp(), format.json())
          : format.combine(format.timestamp(), prettyConsole(options.appName, colors)),
    });
    sinks.push(console);
    access.push({
      transport: console,
      format:
        file.console.format === 'json'
          ? jsonAccessLine
          : (line) => prettyLine(options.appName, colors, 'info', line.timestamp, 'Access', line.message, line.requestId ? ` (request ${line.requestId})` : ''),
    });
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
        format: format.combine(format.timestamp(), format.json()),
      });
    const main = rotating(file.files.filename);
    sinks.push(main, rotating(file.files.errorFilename, 'error'));
    access.push({ transport: main, format: jsonAccessLine });
  }
  const winston = createLogger({ level: options.level, transports: sinks, exitOnError: false });
  return { winston, access: new AccessLog(access, options.accessLog !== false && winston.isLevelEnabled('info')) };
}

/** The Nest logger of an app: Nest's own `Logger` calls anywhere in the code land here. */
export function createNestLogger(instance: Logger): LoggerService {
  return WinstonModule.createLogger({ instance });
}

import { execFile } from 'child_process';
import { join } from 'path';
import { ROOT } from './test-config';

/** What `npx modelgate` runs in a checkout: package.json "bin" points here. */
export const CLI_BIN = join(ROOT, 'apps/cli/bin/modelgate.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the modelgate command as a user does, in a child process with a plain environment (no TTY, so
 * progress comes as lines on stderr), and returns its exit status and output whatever the status.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI_BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(new Error(`modelgate ${args.join(' ')} did not finish: ${error.message}\n${stderr}`));
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** A message for people: one line, and no stack trace. */
export function expectOneLine(text: string): string {
  const lines = text.trim().split('\n');
  if (lines.length !== 1 || /\n\s+at /.test(text)) throw new Error(`expected one line, got:\n${text}`);
  return lines[0];
}

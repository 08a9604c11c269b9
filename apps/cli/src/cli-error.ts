/** Exit statuses: scripts and CI tell "the model failed a test" from "the test could not run". */
export const EXIT_FAILED = 1;
export const EXIT_CANNOT_RUN = 2;

/**
 * A problem the user can fix from one line (server unreachable, unknown model, refused key, a data file
 * that does not parse): printed without a stack trace, and the command exits non-zero.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CANNOT_RUN,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Runs a command's action; any failure becomes one line on stderr and a non-zero exit. */
export async function runAction(action: () => Promise<number | void>): Promise<void> {
  try {
    const code = await action();
    process.exitCode = code ?? 0;
  } catch (error) {
    const message = error instanceof CliError ? error.message : unexpected(error);
    process.stderr.write(`modelgate: ${message}\n`);
    process.exitCode = error instanceof CliError ? error.exitCode : EXIT_CANNOT_RUN;
  }
}

/** A bug or an unforeseen failure: its message still, its stack only when asked (MODELGATE_DEBUG=1). */
function unexpected(error: unknown): string {
  if (process.env.MODELGATE_DEBUG && error instanceof Error && error.stack) return error.stack;
  return error instanceof Error ? error.message : String(error);
}

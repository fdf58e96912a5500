/** Exit statuses scripts can rely on. */
export const ExitCode = {
  /** Everything worked; nothing was found wrong. */
  ok: 0,
  /** The command ran and found a problem in its input (invalid tenant, audit finding). */
  invalid: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  usage: 2,
  /** The environment is not usable: missing tool, unreachable cluster, failed build. */
  environment: 3,
} as const;

/** An error that ends the command with a given exit status and a message for the user. */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

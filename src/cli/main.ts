import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.ts';
import { registerDev } from './commands/dev.ts';
import { registerOperator } from './commands/operator.ts';
import { registerPortal } from './commands/portal.ts';
import { registerRender } from './commands/render.ts';
import { registerValidate } from './commands/validate.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** Builds the `landlord` command line. */
export function buildProgram(): Command {
  const program = new Command('landlord')
    .description('Landlord: safe, self-service team environments on one shared Kubernetes cluster')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerValidate(program);
  registerRender(program);
  registerAudit(program);
  registerOperator(program);
  registerPortal(program);
  registerDev(program);
  return program;
}

/** Runs the CLI and turns every outcome into an exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`landlord: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`landlord: ${(error as Error).message}\n`);
    return ExitCode.environment;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv);

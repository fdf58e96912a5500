import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.ts';
import { registerDev } from './commands/dev.ts';
import { registerOperator } from './commands/operator.ts';
import { registerPortal } from './commands/portal.ts';
import { registerRender } from './commands/render.ts';
import { registerValidate } from './commands/validate.ts';
import { registerVcluster } from './commands/vcluster.ts';
import { type CliIo, type CliStreams, processStreams } from './cli-io.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** Builds the `landlord` command line, its help, usage errors and commands writing to `io`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('landlord')
    .description('Landlord: safe, self-service team environments on one shared Kubernetes cluster')
    .version('0.1.0')
    // Before the commands are added: they inherit it.
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError()
    .exitOverride();
  registerValidate(program, io);
  registerRender(program, io);
  registerAudit(program, io);
  registerOperator(program, io);
  registerPortal(program, io);
  registerVcluster(program, io);
  registerDev(program, io);
  return program;
}

/** Runs the CLI on `argv` (node, script, arguments...) and turns every outcome into an exit status. */
export async function main(argv: string[], streams: CliStreams = processStreams): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const io: CliIo = { ...streams, setExitCode: (code) => (exitCode = code) };
  try {
    await buildProgram(io).parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof CliError) {
      streams.err(`landlord: ${error.message}\n`);
      return error.exitCode;
    }
    streams.err(`landlord: ${(error as Error).message}\n`);
    return ExitCode.environment;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv);

import type { Command } from 'commander';
import type { CliIo } from '../cli-io.ts';
import { readTenantFiles, refuseInvalid } from '../tenant-files.ts';

/** `landlord validate FILE...`: checks Tenant files offline against the CRD schema. */
export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('Check Tenant YAML files offline against the Tenant API schema (the same rules as the API server)')
    .argument('<files...>', 'YAML files, each with one or more Tenant documents')
    .option('-q, --quiet', 'print nothing when every file is valid')
    .addHelpText('after', '\nExit status: 0 all valid, 1 some document invalid, 2 a file cannot be read or parsed.')
    .action((files: string[], options: { quiet?: boolean }) => {
      refuseInvalid(readTenantFiles(files).invalid, '', io);
      if (!options.quiet) io.out(`${files.length} file(s) valid\n`);
    });
}

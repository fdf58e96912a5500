import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { formatFieldError, validateTenant } from '../../api/validate.ts';
import { CliError, ExitCode } from '../exit-codes.ts';

/** One YAML document that is not a valid Tenant, with its errors. */
interface InvalidDocument {
  file: string;
  index: number;
  name: string;
  errors: string[];
}

/** `landlord validate FILE...`: checks Tenant files offline against the CRD schema. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check Tenant YAML files offline against the Tenant API schema (the same rules as the API server)')
    .argument('<files...>', 'YAML files, each with one or more Tenant documents')
    .option('-q, --quiet', 'print nothing when every file is valid')
    .addHelpText('after', '\nExit status: 0 all valid, 1 some document invalid, 2 a file cannot be read or parsed.')
    .action((files: string[], options: { quiet?: boolean }) => {
      const invalid = files.flatMap(validateFile);
      for (const document of invalid) {
        process.stdout.write(`${document.file} (document ${document.index + 1}, ${document.name}):\n`);
        for (const error of document.errors) process.stdout.write(`  ${error}\n`);
      }
      if (invalid.length > 0) {
        const count = invalid.reduce((sum, document) => sum + document.errors.length, 0);
        throw new CliError(`${count} error(s) in ${invalid.length} document(s)`, ExitCode.invalid);
      }
      if (!options.quiet) process.stdout.write(`${files.length} file(s) valid\n`);
    });
}

function validateFile(file: string): InvalidDocument[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, ExitCode.usage);
  }
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  return documents.flatMap((document, index) => {
    if (document.errors.length > 0) {
      throw new CliError(
        `${file}: document ${index + 1} is not valid YAML: ${document.errors[0]?.message}`,
        ExitCode.usage,
      );
    }
    const content = document.toJS();
    if (content === null) return [];
    const result = validateTenant(content);
    if (result.ok) return [];
    const name = String(content?.metadata?.name ?? '<no name>');
    return [{ file, index, name, errors: result.errors.map(formatFieldError) }];
  });
}

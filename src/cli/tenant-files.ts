import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { Tenant } from '../api/tenant.ts';
import { formatFieldError, validateTenant } from '../api/validate.ts';
import type { CliStreams } from './cli-io.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** One YAML document that is not a valid Tenant, with its errors. */
export interface InvalidDocument {
  file: string;
  index: number;
  name: string;
  errors: string[];
}

/** What reading Tenant files gave: the valid tenants (defaulted), and every invalid document. */
export interface TenantFiles {
  tenants: Tenant[];
  invalid: InvalidDocument[];
}

/** Reads and validates every Tenant document of the files; unreadable files and bad YAML are usage errors. */
export function readTenantFiles(files: string[]): TenantFiles {
  const result: TenantFiles = { tenants: [], invalid: [] };
  for (const file of files) {
    for (const [index, content] of parseFile(file).entries()) {
      if (content === null) continue;
      const validation = validateTenant(content);
      if (validation.ok) result.tenants.push(validation.tenant);
      else {
        const name = String((content as { metadata?: { name?: unknown } })?.metadata?.name ?? '<no name>');
        result.invalid.push({ file, index, name, errors: validation.errors.map(formatFieldError) });
      }
    }
  }
  return result;
}

function parseFile(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, ExitCode.usage);
  }
  return parseAllDocuments(text).map((document, index) => {
    if (document.errors.length > 0) {
      throw new CliError(
        `${file}: document ${index + 1} is not valid YAML: ${document.errors[0]?.message}`,
        ExitCode.usage,
      );
    }
    return document.toJS();
  });
}

/** Prints every invalid document with its errors and fails the command with exit status 1. */
export function refuseInvalid(invalid: InvalidDocument[], what: string, io: CliStreams): void {
  if (invalid.length === 0) return;
  for (const document of invalid) {
    io.out(`${document.file} (document ${document.index + 1}, ${document.name}):\n`);
    for (const error of document.errors) io.out(`  ${error}\n`);
  }
  const count = invalid.reduce((sum, document) => sum + document.errors.length, 0);
  throw new CliError(`${count} error(s) in ${invalid.length} document(s)${what}`, ExitCode.invalid);
}

import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { Tenant } from '../api/tenant.ts';
import { bounded } from '../api/field-errors.ts';
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
        const name = bounded(String((content as { metadata?: { name?: unknown } })?.metadata?.name ?? '<no name>'));
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
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text);
  } catch (error) {
    throw hostileYaml(file, 1, error);
  }
  return documents.map((document, index) => {
    if (document.errors.length > 0) {
      throw new CliError(
        `${file}: document ${index + 1} is not valid YAML: ${bounded(document.errors[0]?.message ?? '')}`,
        ExitCode.usage,
      );
    }
    try {
      return document.toJS();
    } catch (error) {
      throw hostileYaml(file, index + 1, error);
    }
  });
}

/**
 * Well-formed YAML that cannot be read safely is bad input (exit 1), not a broken environment: an alias bomb
 * (the yaml library refuses more than 100 alias expansions) or nesting too deep to walk.
 */
function hostileYaml(file: string, document: number, error: unknown): CliError {
  const why =
    error instanceof ReferenceError && /alias/i.test(error.message)
      ? 'expands too many aliases (an alias bomb: "billion laughs"); write the values out'
      : error instanceof RangeError
        ? 'is nested too deeply to read'
        : `cannot be read: ${bounded((error as Error).message)}`;
  return new CliError(`${file}: document ${document} ${why}`, ExitCode.invalid);
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

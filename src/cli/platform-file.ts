import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type PlatformConfig, PlatformConfigError, parsePlatformConfig } from '../api/platform-config.ts';
import { bounded } from '../api/field-errors.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** Reads the platform configuration file given with --platform-config, or the defaults without one. */
export function readPlatformFile(path: string | undefined): PlatformConfig {
  if (!path) return parsePlatformConfig(undefined);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, ExitCode.usage);
  }
  try {
    return parsePlatformConfig(parse(text));
  } catch (error) {
    if (error instanceof PlatformConfigError) throw new CliError(`${path}: ${error.message}`, ExitCode.invalid);
    if (error instanceof ReferenceError) throw new CliError(`${path}: ${error.message} (alias bomb)`, ExitCode.invalid);
    throw new CliError(`${path} is not valid YAML: ${bounded((error as Error).message)}`, ExitCode.usage);
  }
}

import { readFileSync } from 'node:fs';
import { type DexApiTarget, dexApiTargetProblem } from '../integrations/identity/dex-api-address.ts';
import { CliError, ExitCode } from './exit-codes.ts';
import { hostPortFlag } from './flag-values.ts';

/** The operator's flags for Dex's gRPC API (the houses' OIDC clients). */
export interface DexApiFlags {
  dexApi?: string;
  dexApiCa?: string;
  dexApiCert?: string;
  dexApiKey?: string;
}

const tlsFlags = [
  ['--dex-api-ca', 'dexApiCa'],
  ['--dex-api-cert', 'dexApiCert'],
  ['--dex-api-key', 'dexApiKey'],
] as const;

/**
 * Dex's API as the flags give it, files read; undefined when none is given (houses' Argo CD then waits). The three
 * TLS files go together and need --dex-api; without them only a loopback address is allowed. A usage error names the
 * flag that is missing or wrong.
 */
export function dexApiTargetFromFlags(flags: DexApiFlags): DexApiTarget | undefined {
  const given = tlsFlags.filter(([, key]) => flags[key] !== undefined);
  if (flags.dexApi === undefined) {
    if (given.length === 0) return undefined;
    throw usage(
      `--dex-api is missing: give Dex's API address (host:port) with ${given.map(([flag]) => flag).join(', ')}`,
    );
  }
  hostPortFlag('--dex-api', flags.dexApi);
  const missing = tlsFlags.filter(([, key]) => flags[key] === undefined);
  if (given.length > 0 && missing.length > 0) {
    throw usage(
      `${missing.map(([flag]) => flag).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: --dex-api-ca, --dex-api-cert and --dex-api-key go ` +
        "together (mutual TLS with Dex's API)",
    );
  }
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw usage(`${flag}: cannot read ${JSON.stringify(file)}: ${(error as Error).message}`);
    }
  };
  const target: DexApiTarget = { address: flags.dexApi };
  if (flags.dexApiCa !== undefined && flags.dexApiCert !== undefined && flags.dexApiKey !== undefined) {
    target.tls = {
      ca: read('--dex-api-ca', flags.dexApiCa),
      cert: read('--dex-api-cert', flags.dexApiCert),
      key: read('--dex-api-key', flags.dexApiKey),
    };
  }
  const problem = dexApiTargetProblem(target);
  if (problem) throw usage(`--dex-api: ${problem}`);
  return target;
}

function usage(message: string): CliError {
  return new CliError(message, ExitCode.usage);
}

import { readFileSync } from 'node:fs';
import type { PlatformConfig } from '../api/platform-config.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** The operator's flags for the Git factory: files, so no token is ever on a command line or in the environment. */
export interface GitFactoryFlags {
  gitTokenFile?: string;
  gitWebhookSecretFile?: string;
}

/** What the factory runs with: the forge's token and the webhook's secret, read from their files. */
export interface GitFactoryFiles {
  token: string;
  webhookSecret?: string;
}

/**
 * Reads the factory's files when git.factory is on; refuses a factory without a token, and a token or secret file that
 * cannot be read or is empty, naming the flag and the file (never what it holds).
 */
export function gitFactoryFiles(platform: PlatformConfig, flags: GitFactoryFlags): GitFactoryFiles | undefined {
  if (!platform.git.factory.enabled) return undefined;
  if (!flags.gitTokenFile)
    throw new CliError(
      "--git-token-file: nothing given; git.factory.enabled needs the forge's token (a file holding it) to make tenants' repositories",
      ExitCode.usage,
    );
  const token = readSecretFile('--git-token-file', flags.gitTokenFile);
  const webhookSecret = flags.gitWebhookSecretFile
    ? readSecretFile('--git-webhook-secret-file', flags.gitWebhookSecretFile)
    : undefined;
  return { token, ...(webhookSecret ? { webhookSecret } : {}) };
}

function readSecretFile(flag: string, file: string): string {
  let content: string;
  try {
    content = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new CliError(`${flag}: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`, ExitCode.usage);
  }
  if (!content) throw new CliError(`${flag}: ${file} is empty`, ExitCode.usage);
  return content;
}

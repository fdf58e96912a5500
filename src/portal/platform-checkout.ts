import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ForgeCredentials } from '../integrations/git/git-forge.ts';

const run = promisify(execFile);

/**
 * Checks out the branch of a private repository into a temporary folder, hands it to `use`, and removes it. The
 * credentials travel in Git's environment (an HTTP header), never on a command line or in an error.
 */
export async function withCheckout<T>(
  url: string,
  branch: string,
  credentials: ForgeCredentials,
  use: (workTree: string) => T | Promise<T>,
): Promise<T> {
  const work = mkdtempSync(join(tmpdir(), 'landlord-platform-'));
  const basic = Buffer.from(`${credentials.username}:${credentials.token}`).toString('base64');
  try {
    await run('git', ['clone', '--quiet', '--depth=1', '--branch', branch, url, '.'], {
      cwd: work,
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
      },
    }).catch((error: { stderr?: string }) => {
      throw new Error(`cannot check out ${branch} of ${url}: ${(error.stderr ?? '').trim().slice(0, 300)}`);
    });
    return await use(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

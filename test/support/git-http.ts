import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Who Git signs in as over HTTP: a person's name and password, or a machine user's name and token. */
export interface GitLogin {
  username: string;
  password: string;
}

/** The outcome of one git command: whether it succeeded, and what it said. */
export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs git in `cwd` signed in as `login`: basic auth in an extra header passed through the environment, so no
 * credential lands in a URL, an argument, a remote's config or a credential helper.
 */
export async function git(cwd: string, args: string[], login?: GitLogin): Promise<GitResult> {
  const header = login
    ? { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: basicAuth(login) }
    : { GIT_CONFIG_COUNT: '0' };
  try {
    const { stdout, stderr } = await run('git', args, {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: cwd,
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Landlord test',
        GIT_AUTHOR_EMAIL: 'test@landlord.local',
        GIT_COMMITTER_NAME: 'Landlord test',
        GIT_COMMITTER_EMAIL: 'test@landlord.local',
        ...header,
      },
      timeout: 60_000,
    });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** Clones the repository into a new folder under `scratch`; returns the folder and the outcome. */
export async function gitClone(
  scratch: string,
  cloneURL: string,
  login?: GitLogin,
): Promise<{ dir: string } & GitResult> {
  const parent = mkdtempSync(join(scratch, 'clone-'));
  const dir = join(parent, 'work');
  return { dir, ...(await git(parent, ['clone', '--quiet', cloneURL, dir], login)) };
}

function basicAuth(login: GitLogin): string {
  return `Authorization: Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
}

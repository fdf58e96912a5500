import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Who commits when nobody in particular does (the platform's own commits). */
export const platformAuthor = { name: 'Landlord', email: 'landlord@landlord.local' };

/** One change to a repository: write a file, or remove it when content is null. */
export interface FileChange {
  path: string;
  content: string | null;
}

/** The file:// URL of a bare repository, as Argo CD's repo-server and git clone take it. */
export const repoURL = (path: string) => pathToFileURL(path).href;

/** Creates a bare repository whose default branch is main, unless it exists. */
export async function ensureBareRepo(path: string): Promise<void> {
  if (existsSync(join(path, 'HEAD'))) return;
  mkdirSync(path, { recursive: true });
  await git(path, ['init', '--quiet', '--bare', '--initial-branch=main', '.']);
}

/** Creates the bare repository with a first commit of the files, unless it already has a main branch. */
export async function ensureSeededRepo(path: string, files: FileChange[], message: string): Promise<void> {
  await ensureBareRepo(path);
  const hasMain = await git(path, ['rev-parse', '--verify', '--quiet', 'refs/heads/main']).then(
    () => true,
    () => false,
  );
  if (!hasMain) await commitFiles(repoURL(path), files, message);
}

/**
 * Commits the changes to the repository's main branch and pushes them, as the author. Returns the new
 * commit, or undefined when the changes change nothing (no empty commits).
 */
export async function commitFiles(
  url: string,
  changes: FileChange[],
  message: string,
  author = platformAuthor,
): Promise<string | undefined> {
  const work = mkdtempSync(join(tmpdir(), 'landlord-git-'));
  try {
    await git(work, ['clone', '--quiet', url, '.']);
    for (const change of changes) {
      const file = join(work, change.path);
      if (change.content === null) rmSync(file, { recursive: true, force: true });
      else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, change.content);
      }
    }
    await git(work, ['add', '--all']);
    const { stdout: pending } = await git(work, ['status', '--porcelain']);
    if (!pending.trim()) return undefined;
    const identity = ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`];
    await git(work, [...identity, 'commit', '--quiet', '-m', message]);
    await git(work, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    return (await git(work, ['rev-parse', 'HEAD'])).stdout.trim();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs git without the machine's or user's configuration, so every machine behaves alike. */
function git(cwd: string, args: string[]) {
  return run('git', args, {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' },
  });
}

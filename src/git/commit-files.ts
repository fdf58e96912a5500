import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Who commits when nobody in particular does (the platform's own commits). */
export const platformAuthor = { name: 'Landlord', email: 'landlord@landlord.local' };

/** One change to a repository: write a file, or remove it when content is null. */
export interface FileChange {
  path: string;
  content: string | null;
  /** Refuse the whole commit unless the file is absent (a new file) or present (a change or removal). */
  expect?: 'absent' | 'present';
}

/** A change refused because the file was not as expected: nothing was committed. */
export class FileStateError extends Error {
  override name = 'FileStateError';
  readonly path: string;
  readonly expected: 'absent' | 'present';

  constructor(path: string, expected: 'absent' | 'present') {
    super(expected === 'absent' ? `${path} already exists in the repository` : `${path} is not in the repository`);
    this.path = path;
    this.expected = expected;
  }
}

/** Pushes that lose a race with another writer are retried on the new head this many times. */
const pushAttempts = 8;

/**
 * Commits the changes on top of the repository's main branch and pushes them (to main, or to the branch given), as the author. Returns the new
 * commit, or undefined when the changes change nothing (no empty commits). A push that loses a race with
 * another writer is redone on top of theirs; expectations are checked again each time.
 */
export async function commitFiles(
  /** The repository; with a branch, the changes go to that branch (made from main: a change proposed for review). */
  repository: string | { url: string; branch: string },
  changes: FileChange[],
  message: string,
  author = platformAuthor,
  /** Checks the checked-out tree before anything is written; throwing refuses the commit. */
  verify?: (workTree: string) => void,
): Promise<string | undefined> {
  const { url, branch } = typeof repository === 'string' ? { url: repository, branch: 'main' } : repository;
  for (let attempt = 1; ; attempt++) {
    const work = mkdtempSync(join(tmpdir(), 'landlord-git-'));
    try {
      await git(work, ['clone', '--quiet', '--depth=1', url, '.']);
      verify?.(work);
      if (!applyChanges(work, changes)) return undefined;
      await git(work, ['add', '--all']);
      const { stdout: pending } = await git(work, ['status', '--porcelain']);
      if (!pending.trim()) return undefined;
      const identity = ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`];
      await git(work, [...identity, 'commit', '--quiet', '-m', message]);
      const pushed = await git(work, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]).then(
        () => true,
        (error: unknown) => {
          if (attempt >= pushAttempts) throw error;
          return false;
        },
      );
      if (pushed) return (await git(work, ['rev-parse', 'HEAD'])).stdout.trim();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

/** Writes and removes the files; false when there was nothing to do. Throws FileStateError first, writing nothing. */
function applyChanges(work: string, changes: FileChange[]): boolean {
  for (const change of changes) {
    const present = existsSync(join(work, change.path));
    if (change.expect === 'absent' && present) throw new FileStateError(change.path, 'absent');
    if (change.expect === 'present' && !present) throw new FileStateError(change.path, 'present');
  }
  for (const change of changes) {
    const file = join(work, change.path);
    if (change.content === null) rmSync(file, { recursive: true, force: true });
    else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, change.content);
    }
  }
  return changes.length > 0;
}

/** Runs git without the machine's or user's configuration, so every machine behaves alike. */
export function git(cwd: string, args: string[]) {
  return run('git', args, {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' },
  });
}

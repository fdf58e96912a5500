import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commitFiles, type FileChange, git } from '../../git/commit-files.ts';

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

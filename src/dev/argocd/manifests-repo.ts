import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { git, platformAuthor } from '../../git/commit-files.ts';
import { ensureBareRepo, repoURL } from '../git/local-repos.ts';
import { argoCdModuleDir } from './crds.ts';

/**
 * Where a local environment keeps its mirror of upstream's Argo CD manifests (houses.argocd.manifests.repoURL): a
 * bare repository in the environment's Git folder, never inside the project's own repository.
 */
export function manifestsRepoPath(gitDir: string): string {
  return join(gitDir, 'argo-cd-manifests.git');
}

/**
 * Makes the local mirror hold the pinned Argo CD module's `manifests/` tree at the tag the platform pins
 * (houses.argocd.manifests.targetRevision), unless it already does; returns its file:// URL. The host Argo CD installs
 * each house's Argo CD from it as a real cluster would from upstream's repository.
 */
export async function ensureArgoCdManifestsRepo(gitDir: string, tag: string): Promise<string> {
  const path = manifestsRepoPath(gitDir);
  await ensureBareRepo(path);
  const tagged = await git(path, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}`]).then(
    () => true,
    () => false,
  );
  if (tagged) return repoURL(path);
  const moduleDir = argoCdModuleDir();
  // The module cache names the directory after the version: the tag must be the version the tools pin.
  if (!basename(moduleDir).endsWith(`@${tag}`))
    throw new Error(
      `houses.argocd.manifests.targetRevision: "${tag}" is not the pinned Argo CD module's version (${basename(moduleDir)}); pin the same version in both`,
    );
  const work = mkdtempSync(join(tmpdir(), 'landlord-argocd-manifests-'));
  try {
    // The module's files stay where they are (read-only in the module cache): only the Git directory is new.
    const inModule = (args: string[]) =>
      git(moduleDir, ['--git-dir', join(work, '.git'), '--work-tree', moduleDir, ...args]);
    await git(work, ['init', '--quiet', '--initial-branch=main']);
    await inModule(['add', 'manifests']);
    await inModule([
      ...['-c', `user.name=${platformAuthor.name}`, '-c', `user.email=${platformAuthor.email}`],
      ...['commit', '--quiet', '-m', `Argo CD ${tag}: upstream's installation manifests, from the pinned module`],
    ]);
    await inModule(['tag', tag]);
    await inModule(['push', '--quiet', '--force', repoURL(path), 'HEAD:refs/heads/main', `refs/tags/${tag}`]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return repoURL(path);
}

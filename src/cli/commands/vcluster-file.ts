import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { kubeconfigFiles } from '../../kube/kubeconfig-merge.ts';

/**
 * The kubeconfig file `connect` writes to: --kubeconfig-out, else the --kubeconfig read from, else where kubectl
 * writes new entries (the first file of KUBECONFIG that exists, else its last; ~/.kube/config without it).
 */
export function kubeconfigTarget(
  flags: { kubeconfigOut?: string; kubeconfig?: string },
  env: Record<string, string | undefined> = process.env,
  home = homedir(),
): string {
  if (flags.kubeconfigOut) return flags.kubeconfigOut;
  if (flags.kubeconfig) return flags.kubeconfig;
  const files = kubeconfigFiles(env.KUBECONFIG, home);
  return files.find((file) => existsSync(file)) ?? files[files.length - 1] ?? join(home, '.kube', 'config');
}

/** The file's text, empty when it does not exist yet. */
export function readKubeconfigText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/**
 * Replaces the file's content at once (a temporary file renamed over it, through a symbolic link to its target),
 * readable by its owner only: it holds credentials. Its folder is made (owner only) when missing.
 */
export function writeKubeconfigText(file: string, text: string): void {
  const target = existsSync(file) ? realpathSync(file) : file;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const temporary = `${target}.landlord-${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, target);
  } finally {
    rmSync(temporary, { force: true });
  }
}

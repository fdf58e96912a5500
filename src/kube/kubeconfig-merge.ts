import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parse } from 'yaml';

/** A kubeconfig entry's fields (a cluster, a user or a context), as written in the file. */
export type Fields = Record<string, unknown>;

/** Several kubeconfig files read as one, the way kubectl merges the paths of KUBECONFIG. */
export interface MergedKubeconfig {
  /** The files read, in precedence order; listed files that do not exist are left out. */
  files: string[];
  currentContext?: string;
  clusters: Map<string, Fields>;
  users: Map<string, Fields>;
  contexts: Map<string, Fields>;
}

/** The kubeconfig files to read: every path of KUBECONFIG (duplicates once), or ~/.kube/config when it is empty. */
export function kubeconfigFiles(kubeconfigVariable = process.env.KUBECONFIG, home = homedir()): string[] {
  const listed = (kubeconfigVariable ?? '').split(delimiter).filter(Boolean);
  return listed.length > 0 ? [...new Set(listed)] : [join(home, '.kube', 'config')];
}

/**
 * Reads and merges kubeconfig files as kubectl does: missing files are skipped, the first file to set
 * current-context wins, and for clusters, users and contexts the first file to define a name wins (later ones
 * never overwrite it). Relative paths are resolved against the directory of the file that holds them.
 */
export function readMergedKubeconfig(files: string[]): MergedKubeconfig {
  const merged: MergedKubeconfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    if (!existsSync(file)) continue;
    const config = readKubeconfigFile(file);
    merged.files.push(file);
    const base = dirname(resolve(file));
    merged.currentContext ||= stringField(config, 'current-context');
    addEntries(merged.clusters, config.clusters, 'cluster', (cluster) => resolveClusterPaths(cluster, base));
    addEntries(merged.users, config.users, 'user', (user) => resolveUserPaths(user, base));
    addEntries(merged.contexts, config.contexts, 'context', (context) => context);
  }
  if (merged.files.length === 0) throw new Error(`no kubeconfig file found (looked for ${files.join(delimiter)})`);
  return merged;
}

function readKubeconfigFile(file: string): Fields {
  let config: unknown;
  try {
    config = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // Only the first line, and no cause: YAML errors quote the offending line, which may hold a token.
    const firstLine = (error as Error).message.split('\n')[0];
    // eslint-disable-next-line preserve-caught-error -- the cause would carry that quoted line
    throw new Error(`${file}: not a readable kubeconfig: ${firstLine}`);
  }
  if (config === null || config === undefined) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw new Error(`${file}: a kubeconfig must be a mapping`);
  return config as Fields;
}

function stringField(fields: Fields, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Adds the named entries of one file that no earlier file (and no earlier entry of this file) defined. */
function addEntries(
  into: Map<string, Fields>,
  entries: unknown,
  field: 'cluster' | 'user' | 'context',
  resolvePaths: (fields: Fields) => Fields,
): void {
  if (!Array.isArray(entries)) return;
  for (const entry of entries as { name?: unknown; [field: string]: unknown }[]) {
    const fields = entry?.[field];
    if (typeof entry?.name !== 'string' || into.has(entry.name) || !fields || typeof fields !== 'object') continue;
    into.set(entry.name, resolvePaths(fields as Fields));
  }
}

function resolveClusterPaths(cluster: Fields, base: string): Fields {
  return withResolved(cluster, ['certificate-authority'], base);
}

function resolveUserPaths(user: Fields, base: string): Fields {
  const resolved = withResolved(user, ['client-certificate', 'client-key', 'tokenFile', 'token-file'], base);
  const exec = user.exec as Fields | undefined;
  // A bare command name is looked up in PATH; only a path with a slash is relative to the kubeconfig.
  if (exec && typeof exec.command === 'string' && exec.command.includes(sep))
    resolved.exec = withResolved(exec, ['command'], base);
  return resolved;
}

function withResolved(fields: Fields, names: string[], base: string): Fields {
  const copy = { ...fields };
  for (const name of names) {
    const path = copy[name];
    if (typeof path === 'string' && path !== '' && !isAbsolute(path)) copy[name] = join(base, path);
  }
  return copy;
}

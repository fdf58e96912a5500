import { parse, stringify } from 'yaml';

/** A kubeconfig document as YAML parses it: only its named lists are touched, every other field is kept. */
export type KubeconfigDocument = Record<string, unknown>;

/** The cluster, user and context a house's admin kubeconfig gives, all named `vcluster-<team>`. */
export interface HouseEntries {
  name: string;
  server: string;
  cluster: Record<string, unknown>;
  user: Record<string, unknown>;
}

/** The context (and its cluster and user) that `landlord vcluster connect <team>` writes. */
export const houseContextName = (team: string) => `vcluster-${team}`;

// What may come from the house's kubeconfig: inline credentials only. A file path names a file of another machine;
// an exec plugin or auth provider would run a command on the admin's machine, a proxy or skipped TLS check would
// hand the connection to someone else: whoever could write that Secret must gain nothing on the reader.
const clusterFields = ['server', 'certificate-authority-data', 'tls-server-name'];
const userFields = ['client-certificate-data', 'client-key-data', 'token'];

/**
 * The entries of a house's admin kubeconfig (the `config` key of the Secret vCluster writes), renamed
 * `vcluster-<team>`: the cluster and user of its current context (or its only ones), inline data only. Errors
 * never quote the file: it holds a private key.
 */
export function houseEntries(team: string, kubeconfigText: string): HouseEntries {
  const name = houseContextName(team);
  const fail = (why: string) => new Error(`the house's kubeconfig (Secret vc-${team}, key config) ${why}`);
  let config: unknown;
  try {
    config = parse(kubeconfigText);
  } catch {
    throw fail('is not YAML');
  }
  if (!isMapping(config)) throw fail('is not a kubeconfig mapping');
  const context = chosenEntry(config, 'contexts', 'context', stringOf(config['current-context']));
  const cluster = chosenEntry(config, 'clusters', 'cluster', stringOf(context?.cluster));
  const user = chosenEntry(config, 'users', 'user', stringOf(context?.user));
  if (!cluster) throw fail('names no cluster');
  if (!user) throw fail('names no user');
  const server = stringOf(cluster.server);
  if (!server?.startsWith('https://')) throw fail('has no https:// server address');
  const picked = { cluster: pick(cluster, clusterFields), user: pick(user, userFields) };
  if (!picked.user['client-certificate-data'] && !picked.user.token)
    throw fail('carries neither an inline client certificate nor a token');
  return { name, server, ...picked };
}

/**
 * `existing` (a kubeconfig file's text, empty for none) with the house's cluster, user and context added or
 * replaced, everything else kept, current-context untouched (as `kubectl config set-context` does).
 */
export function mergedKubeconfig(existing: string, entries: HouseEntries, file: string): string {
  let document: unknown = {};
  if (existing.trim()) {
    try {
      document = parse(existing);
    } catch (error) {
      // Only the first line, and no cause: YAML errors quote the offending line, which may hold a token.
      // eslint-disable-next-line preserve-caught-error -- the cause would carry that quoted line
      throw new Error(`${file}: not a readable kubeconfig: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  document ??= {};
  if (!isMapping(document)) throw new Error(`${file}: a kubeconfig must be a mapping`);
  const merged: KubeconfigDocument = { apiVersion: 'v1', kind: 'Config', ...document };
  const { name } = entries;
  merged.clusters = withEntry(merged.clusters, file, 'clusters', { name, cluster: entries.cluster });
  merged.users = withEntry(merged.users, file, 'users', { name, user: entries.user });
  merged.contexts = withEntry(merged.contexts, file, 'contexts', { name, context: { cluster: name, user: name } });
  return stringify(merged);
}

/** The list with the entry of that name replaced in place, or added at the end. */
function withEntry(
  list: unknown,
  file: string,
  field: string,
  entry: { name: string; [field: string]: unknown },
): unknown[] {
  if (list === undefined || list === null) return [entry];
  if (!Array.isArray(list)) throw new Error(`${file}: ${field} must be a list`);
  const at = list.findIndex((item) => isMapping(item) && item.name === entry.name);
  return at < 0 ? [...list, entry] : list.map((item, index) => (index === at ? entry : item));
}

/** The named entry's fields, else the list's only entry; undefined when neither. */
function chosenEntry(
  config: KubeconfigDocument,
  list: string,
  field: string,
  wanted: string | undefined,
): Record<string, unknown> | undefined {
  const entries = Array.isArray(config[list]) ? (config[list] as unknown[]).filter(isMapping) : [];
  const entry = (wanted ? entries.find((item) => item.name === wanted) : undefined) ?? onlyOne(entries);
  const fields = entry?.[field];
  return isMapping(fields) ? fields : undefined;
}

const onlyOne = <T>(items: T[]): T | undefined => (items.length === 1 ? items[0] : undefined);

function pick(fields: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(
    names.filter((field) => fields[field] !== undefined).map((field) => [field, fields[field]]),
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const stringOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

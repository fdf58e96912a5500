import { filepathMatch, globMatch } from './glob.ts';

/** The parts of an AppProject's spec that decide what its Applications may do. */
export interface AppProjectSpec {
  sourceRepos?: string[];
  destinations?: { server?: string; name?: string; namespace?: string }[];
  clusterResourceWhitelist?: { group: string; kind: string; name?: string }[] | null;
  clusterResourceBlacklist?: { group: string; kind: string; name?: string }[] | null;
  namespaceResourceWhitelist?: { group: string; kind: string }[] | null;
  namespaceResourceBlacklist?: { group: string; kind: string }[] | null;
  sourceNamespaces?: string[];
  destinationServiceAccounts?: { server?: string; namespace?: string; defaultServiceAccount?: string }[];
}

const isDeny = (pattern: string) => pattern.startsWith('!');

/** Argo CD's globMatch with negation: `!x` matches whatever x does not. */
function patternMatch(pattern: string, value: string, separators: string[] = []): boolean {
  if (isDeny(pattern)) return !globMatch(pattern.slice(1), value, separators);
  if (pattern === '*') return true;
  return globMatch(pattern, value, separators);
}

type Destination = { server: string; name?: string; namespace: string };
/** A destination entry with its empty fields as Go sees them: empty strings. */
type DestinationItem = { server: string; name: string; namespace: string };

/** Which parts of one destination entry match the destination (name and server empty never match). */
function destinationMatches(item: DestinationItem, destination: Destination) {
  return {
    name: !!destination.name && patternMatch(item.name, destination.name),
    server: destination.server !== '' && patternMatch(item.server, destination.server),
    namespace: patternMatch(item.namespace, destination.namespace),
  };
}

/** One destination entry's verdict: it matches, it denies outright, or it says nothing. */
function destinationVerdict(item: DestinationItem, destination: Destination): 'match' | 'deny' | 'none' {
  const matched = destinationMatches(item, destination);
  if ((matched.server || matched.name) && matched.namespace) return 'match';
  // Go's precedence in the original: A || (B && C).
  const deniedByName = !matched.name && isDeny(item.name);
  const deniedByServer = !matched.server && isDeny(item.server) && matched.namespace;
  const deniedByNamespace = !matched.namespace && isDeny(item.namespace) && matched.server;
  return deniedByName || deniedByServer || deniedByNamespace ? 'deny' : 'none';
}

/**
 * AppProject.isDestinationMatched, line for line (Argo CD v3.5): a destination is permitted when some entry
 * matches it, unless a deny (`!`) entry that it fails to match comes first.
 */
export function isDestinationPermitted(spec: AppProjectSpec, destination: Destination): boolean {
  let anyMatched = false;
  for (const { server = '', name = '', namespace = '' } of spec.destinations ?? []) {
    const verdict = destinationVerdict({ server, name, namespace }, destination);
    if (verdict === 'deny') return false;
    if (verdict === 'match') anyMatched = true;
  }
  return anyMatched;
}

type KindItem = { group: string; kind: string; name?: string };
type Resource = { group: string; kind: string; name?: string };

const inList = (list: KindItem[], resource: Resource, byName: boolean) =>
  list.some(
    (item) =>
      filepathMatch(item.kind, resource.kind) &&
      filepathMatch(item.group, resource.group) &&
      (!byName || !item.name || filepathMatch(item.name, resource.name ?? '')),
  );

/** AppProject.IsGroupKindNamePermitted: whitelists (a missing namespaced whitelist allows all) minus blacklists. */
export function isGroupKindPermitted(spec: AppProjectSpec, resource: Resource, namespaced: boolean): boolean {
  return namespaced ? isNamespacedKindPermitted(spec, resource) : isClusterKindPermitted(spec, resource);
}

function isNamespacedKindPermitted(spec: AppProjectSpec, resource: Resource): boolean {
  const whitelist = spec.namespaceResourceWhitelist;
  const blacklist = spec.namespaceResourceBlacklist ?? [];
  const whitelisted = whitelist === undefined || whitelist === null || inList(whitelist, resource, false);
  return whitelisted && !inList(blacklist, resource, false);
}

function isClusterKindPermitted(spec: AppProjectSpec, resource: Resource): boolean {
  return (
    inList(spec.clusterResourceWhitelist ?? [], resource, true) &&
    !inList(spec.clusterResourceBlacklist ?? [], resource, true)
  );
}

/** AppProject.IsSourcePermitted (URLs compared as Argo CD normalizes them: lower case, no .git suffix). */
export function isSourcePermitted(spec: AppProjectSpec, repoURL: string): boolean {
  const source = normalizeGitURL(repoURL);
  let anyMatched = false;
  for (const pattern of spec.sourceRepos ?? []) {
    const normalized = isDeny(pattern) ? `!${normalizeGitURL(pattern.slice(1))}` : normalizeGitURL(pattern);
    const matched = patternMatch(normalized, source, ['/']);
    if (matched) anyMatched = true;
    else if (isDeny(normalized)) return false;
  }
  return anyMatched;
}

/**
 * Whether Applications in this namespace may use the project (AppProject.IsAppNamespacePermitted): globs, or
 * regular expressions between slashes; no negation here.
 */
export function isSourceNamespacePermitted(spec: AppProjectSpec, namespace: string, controlPlane: string): boolean {
  if (namespace === controlPlane) return true;
  return (spec.sourceNamespaces ?? []).some((pattern) => {
    if (pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
      try {
        return new RegExp(pattern.slice(1, -1)).test(namespace);
      } catch {
        return false;
      }
    }
    return globMatch(pattern, namespace);
  });
}

function normalizeGitURL(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\.git$/, '');
}

/**
 * The ServiceAccount Argo CD impersonates to sync into the destination (DeriveServiceAccountToImpersonate, Argo CD
 * v3): the first destinationServiceAccounts entry whose server and namespace globs match, as `namespace:name` (a
 * bare name lives in the destination namespace); undefined when none matches, where a sync fails but a deletion
 * falls back to Argo CD's own rights.
 */
export function impersonatedAs(spec: AppProjectSpec, server: string, namespace: string): string | undefined {
  const entry = (spec.destinationServiceAccounts ?? []).find(
    (item) => globMatch(item.server ?? '', server) && globMatch(item.namespace ?? '', namespace),
  );
  if (!entry) return undefined;
  const account = (entry.defaultServiceAccount ?? '').trim();
  return account.includes(':') ? account : `${namespace}:${account}`;
}

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
}

const isDeny = (pattern: string) => pattern.startsWith('!');

/** Argo CD's globMatch with negation: `!x` matches whatever x does not. */
function patternMatch(pattern: string, value: string, separators: string[] = []): boolean {
  if (isDeny(pattern)) return !globMatch(pattern.slice(1), value, separators);
  if (pattern === '*') return true;
  return globMatch(pattern, value, separators);
}

/**
 * AppProject.isDestinationMatched, line for line (Argo CD v3.5): a destination is permitted when some entry
 * matches it, unless a deny (`!`) entry that it fails to match comes first.
 */
export function isDestinationPermitted(
  spec: AppProjectSpec,
  destination: { server: string; name?: string; namespace: string },
): boolean {
  let anyMatched = false;
  for (const item of spec.destinations ?? []) {
    const itemName = item.name ?? '';
    const itemServer = item.server ?? '';
    const itemNamespace = item.namespace ?? '';
    const nameMatched = !!destination.name && patternMatch(itemName, destination.name);
    const serverMatched = destination.server !== '' && patternMatch(itemServer, destination.server);
    const namespaceMatched = patternMatch(itemNamespace, destination.namespace);
    if ((serverMatched || nameMatched) && namespaceMatched) anyMatched = true;
    else if ((!nameMatched && isDeny(itemName)) || (!serverMatched && isDeny(itemServer) && namespaceMatched))
      return false;
    else if (!namespaceMatched && isDeny(itemNamespace) && serverMatched) return false;
  }
  return anyMatched;
}

/** AppProject.IsGroupKindNamePermitted: whitelists (nil namespaced whitelist = all) minus blacklists. */
export function isGroupKindPermitted(
  spec: AppProjectSpec,
  resource: { group: string; kind: string; name?: string },
  namespaced: boolean,
): boolean {
  const inList = (list: { group: string; kind: string; name?: string }[]) =>
    list.some(
      (item) =>
        filepathMatch(item.kind, resource.kind) &&
        filepathMatch(item.group, resource.group) &&
        (namespaced || !item.name || filepathMatch(item.name, resource.name ?? '')),
    );
  if (namespaced) {
    const whitelist = spec.namespaceResourceWhitelist;
    const blacklist = spec.namespaceResourceBlacklist ?? [];
    const whitelisted = whitelist === undefined || whitelist === null || (whitelist.length > 0 && inList(whitelist));
    return whitelisted && !(blacklist.length > 0 && inList(blacklist));
  }
  const whitelist = spec.clusterResourceWhitelist ?? [];
  const blacklist = spec.clusterResourceBlacklist ?? [];
  return whitelist.length > 0 && inList(whitelist) && !(blacklist.length > 0 && inList(blacklist));
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

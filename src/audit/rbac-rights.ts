import type { Severity } from './finding.ts';
import { type AuditedObject, type Inventory, ofKind } from './inventory.ts';

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** A RoleBinding's or ClusterRoleBinding's roleRef. */
export interface RoleRef {
  kind?: string;
  name?: string;
}

/** A right a role grants that the team's own `admin` does not, with how bad it is. */
export interface ExcessRight {
  severity: Severity;
  what: string;
}

/** The role the team holds in its namespaces: anything beyond it is an escalation. */
export const teamRole = 'admin';
/** Built-in roles the team's `admin` covers by construction (aggregation), judged without reading them. */
const withinTeamRole = new Set(['admin', 'edit', 'view']);
const writeVerbs = ['create', 'update', 'patch', 'delete', 'deletecollection'];
/** Resources whose write reaches beyond a namespace's workloads (the namespace object itself among them). */
const sensitiveResources: Record<string, string[]> = {
  '': ['namespaces', 'namespaces/status', 'namespaces/finalize', 'nodes', 'persistentvolumes'],
  'rbac.authorization.k8s.io': ['clusterroles', 'clusterrolebindings'],
  'admissionregistration.k8s.io': [
    'validatingadmissionpolicies',
    'validatingadmissionpolicybindings',
    'validatingwebhookconfigurations',
    'mutatingwebhookconfigurations',
  ],
  'apiextensions.k8s.io': ['customresourcedefinitions'],
};
/** Who may be impersonated beyond the namespace's own ServiceAccounts (which `admin` may impersonate). */
const impersonable = ['users', 'groups', 'userextras', 'userextras/*', 'uids', '*'];

const has = (list: string[] | undefined, value: string) => (list ?? []).includes(value);
const hasAny = (list: string[] | undefined, values: string[]) => values.some((value) => has(list, value));

/** The rules of the role a binding refers to: a ClusterRole, or a Role in the binding's namespace. */
export function rulesOf(inventory: Inventory, ref: RoleRef, namespace: string | undefined): PolicyRule[] | undefined {
  const role =
    ref.kind === 'ClusterRole'
      ? ofKind(inventory, 'ClusterRole').find((r) => r.metadata.name === ref.name)
      : ofKind(inventory, 'Role').find((r) => r.metadata.name === ref.name && r.metadata.namespace === namespace);
  return role ? (((role as AuditedObject & { rules?: PolicyRule[] }).rules ?? []) as PolicyRule[]) : undefined;
}

/**
 * The rights a role gives beyond the team's `admin` in a namespace: cluster-admin itself, wildcards,
 * escalate/bind/impersonate, writes on the namespace object or cluster-wide kinds (high), and, when the live
 * `admin` role is known, anything else it does not cover (medium).
 */
export function excessRights(inventory: Inventory, ref: RoleRef, namespace: string | undefined): ExcessRight[] {
  if (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin')
    return [{ severity: 'high', what: 'cluster-admin: every right on everything' }];
  if (ref.kind === 'ClusterRole' && withinTeamRole.has(ref.name ?? '')) return [];
  const rules = rulesOf(inventory, ref, namespace);
  if (!rules) return [];
  const dangerous = rules.flatMap(dangerousRights);
  const admin = rulesOf(inventory, { kind: 'ClusterRole', name: teamRole }, undefined);
  const uncovered = admin?.length && !dangerous.length ? uncoveredRights(rules, admin) : [];
  const beyond = uncovered.length
    ? [{ severity: 'medium' as const, what: `rights ${teamRole} lacks: ${summarize(uncovered)}` }]
    : [];
  return [...dangerous, ...beyond];
}

/** What in one rule hands over more than a namespace's workloads. */
export function dangerousRights(rule: PolicyRule): ExcessRight[] {
  return [...wildcards(rule), ...privilegeVerbs(rule), ...sensitiveWrites(rule)].map((what) => ({
    severity: 'high',
    what,
  }));
}

function wildcards(rule: PolicyRule): string[] {
  const groups = rule.apiGroups ?? [];
  return [
    ...(has(rule.verbs, '*') ? [`every verb on ${(rule.resources ?? []).join(', ') || 'nothing'}`] : []),
    ...(has(rule.resources, '*') ? [`every resource of API group(s) ${groups.join(', ') || '""'}`] : []),
  ];
}

/** escalate and bind (grant what one lacks), impersonate beyond the namespace's ServiceAccounts. */
function privilegeVerbs(rule: PolicyRule): string[] {
  return ['escalate', 'bind', 'impersonate']
    .filter((verb) => has(rule.verbs, verb))
    .filter((verb) => verb !== 'impersonate' || hasAny(rule.resources, impersonable))
    .map((verb) => `${verb} on ${(rule.resources ?? []).join(', ')}`);
}

function sensitiveWrites(rule: PolicyRule): string[] {
  if (!hasAny(rule.verbs, writeVerbs)) return [];
  const groups = rule.apiGroups ?? [];
  return Object.entries(sensitiveResources)
    .filter(([group]) => has(groups, group) || has(groups, '*'))
    .map(([, resources]) => resources.filter((resource) => has(rule.resources, resource)))
    .filter((written) => written.length)
    .map((written) => `write on ${written.join(', ')}`);
}

/** Every (group, resource, verb) of the rules that no rule of the reference grants. */
export function uncoveredRights(rules: PolicyRule[], reference: PolicyRule[]): string[] {
  const rights = rules.flatMap((rule) =>
    // nonResourceURLs mean nothing in a RoleBinding
    (rule.apiGroups ?? []).flatMap((group) =>
      (rule.resources ?? []).flatMap((resource) => (rule.verbs ?? []).map((verb) => ({ group, resource, verb }))),
    ),
  );
  return rights
    .filter(({ group, resource, verb }) => !reference.some((granted) => grants(granted, group, resource, verb)))
    .map(({ group, resource, verb }) => `${verb} ${resource}${group ? `.${group}` : ''}`);
}

/** Whether a rule grants the verb on the resource, as RBAC matches (wildcards, `x/*` subresources). */
function grants(rule: PolicyRule, group: string, resource: string, verb: string): boolean {
  if (rule.resourceNames?.length) return false;
  const groupOK = has(rule.apiGroups, '*') || has(rule.apiGroups, group);
  const verbOK = has(rule.verbs, '*') || has(rule.verbs, verb);
  const [main, sub] = resource.split('/');
  const resourceOK =
    has(rule.resources, '*') ||
    has(rule.resources, resource) ||
    (sub !== undefined && (has(rule.resources, `${main}/*`) || has(rule.resources, `*/${sub}`)));
  return groupOK && verbOK && resourceOK;
}

function summarize(rights: string[]): string {
  const unique = [...new Set(rights)];
  return unique.length > 6 ? `${unique.slice(0, 6).join(', ')} and ${unique.length - 6} more` : unique.join(', ');
}

/** Whether the role lets its holder read Secrets (get, list or watch) in the namespace it is bound in. */
export function readsSecrets(rules: PolicyRule[]): boolean {
  return rules.some(
    (rule) =>
      !rule.resourceNames?.length &&
      (has(rule.apiGroups, '') || has(rule.apiGroups, '*')) &&
      (has(rule.resources, 'secrets') || has(rule.resources, '*')) &&
      hasAny(rule.verbs, ['get', 'list', 'watch', '*']),
  );
}

/** Built-in roles known to read Secrets, judged even where the roles themselves were not read (a folder). */
const secretReaders = new Set(['cluster-admin', 'admin', 'edit']);

/** Whether a binding to this role lets its subjects read the Secrets where it applies. */
export function roleReadsSecrets(inventory: Inventory, ref: RoleRef, namespace: string | undefined): boolean {
  if (ref.kind === 'ClusterRole' && secretReaders.has(ref.name ?? '')) return true;
  return readsSecrets(rulesOf(inventory, ref, namespace) ?? []);
}

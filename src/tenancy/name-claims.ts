import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { buildDesiredState } from './desired-state.ts';
import { houseNamespaceName } from './names.ts';

/**
 * Names are a tree (ADR "names are a tree"): a team owns its name and every name `<team>-...`, its space.
 * Every name Landlord derives for a team lies in its space or is made unique by it, so two teams whose spaces
 * do not meet can never derive the same name, whichever comes first.
 */

/**
 * Spaces the platform keeps for itself, whole: no teamName is one of them or starts with one followed by `-`
 * (the CRD's CEL rule says the same; `landlord` is kept as a plain prefix there, `landlordx` included).
 */
export const reservedSpaces = [
  { name: 'kube', why: "Kubernetes' own namespaces (kube-system, kube-public, kube-node-lease)" },
  { name: 'vcluster', why: 'the house namespace vcluster-<team> of every virtual-cluster tenant' },
  { name: 'argocd', why: 'the tenant Argo CD hosts argocd-<team>.<domain>' },
  { name: 'landlord', why: "Landlord's own namespaces and Argo CD objects" },
] as const;

/** Names the platform keeps whatever its configuration: no team's space may hold them. */
export const reservedNames = [
  { name: 'default', why: "Kubernetes' default namespace and Argo CD's default project" },
  { name: 'platform', why: "the platform team's name" },
] as const;

/** A name the platform holds, and why: what a refusal says. */
export interface ReservedName {
  name: string;
  why: string;
}

/** Every name the platform holds on this installation: the fixed ones and the namespaces its configuration names. */
export function platformReservedNames(platform: PlatformConfig): ReservedName[] {
  return [
    ...reservedNames,
    { name: platform.argocd.namespace, why: "Argo CD's namespace" },
    { name: platform.ingressNamespace, why: "the ingress controller's namespace" },
    { name: platform.dns.namespace, why: "cluster DNS's namespace" },
    ...platform.platformNamespaces.map((name) => ({ name, why: 'one of the platform namespaces' })),
  ];
}

/** Whether `name` lies in the space of `owner`: it is `owner` or starts with `owner-`. */
export function inSpaceOf(name: string, owner: string): boolean {
  return name === owner || name.startsWith(`${owner}-`);
}

/** Whether two team names' spaces meet: one is the other or lies in its space (then one holds a name of the other). */
export function spacesMeet(a: string, b: string): boolean {
  return inSpaceOf(a, b) || inSpaceOf(b, a);
}

/** A reason a teamName cannot be given: its reason code and a message naming the rule and the holder. */
export interface NameProblem {
  reason: 'NameReserved' | 'NameInAnotherTeamsSpace';
  message: string;
  /** The other tenant, when another tenant holds the name. */
  holder?: string;
}

/** Why a teamName touches a name the platform holds (in words, naming it), or undefined when it does not. */
export function reservedNameProblem(teamName: string, platform: PlatformConfig): NameProblem | undefined {
  const given = `teamName ${JSON.stringify(teamName)}`;
  for (const space of reservedSpaces) {
    if (inSpaceOf(teamName, space.name) || (space.name === 'landlord' && teamName.startsWith(space.name))) {
      const prefix = space.name === 'landlord' ? space.name : `${space.name}-`;
      const message = `${given} is in the platform's reserved space ${space.name} (${space.why}): no teamName is ${space.name} or starts with ${prefix}; choose another`;
      return { reason: 'NameReserved', message };
    }
  }
  for (const reserved of platformReservedNames(platform)) {
    if (inSpaceOf(reserved.name, teamName)) {
      const how =
        reserved.name === teamName
          ? 'is'
          : `would own ${JSON.stringify(reserved.name)}, since a team owns every name ${teamName}-..., and that is`;
      const message = `${given} ${how} the platform's reserved name ${reserved.name} (${reserved.why}); choose another teamName`;
      return { reason: 'NameReserved', message };
    }
  }
  return undefined;
}

/** Why `tenant` may not have its teamName while `other` has its own: their spaces meet (in words, naming `other`). */
export function spaceProblem(tenant: Tenant, other: Tenant): NameProblem | undefined {
  const [mine, theirs] = [tenant.spec.teamName, other.spec.teamName];
  if (mine === theirs || !spacesMeet(mine, theirs)) return undefined;
  const holder = `team ${theirs} (Tenant ${other.metadata.name})`;
  const rule = 'a team owns its name and every name <team>-...';
  const message = inSpaceOf(mine, theirs)
    ? `teamName ${JSON.stringify(mine)} lies in the names of ${holder}: ${rule}; choose a teamName that does not start with "${theirs}-"`
    : `teamName ${JSON.stringify(mine)} would own the name ${theirs} of ${holder}: ${rule}; choose a teamName such that "${theirs}" does not start with "<teamName>-"`;
  return { reason: 'NameInAnotherTeamsSpace', message, holder: other.metadata.name };
}

/**
 * What a tenant may not have, given the tenants that hold their names before it: a name of the platform, or a
 * teamName whose space meets another's (an equal teamName is TeamNameTaken, checked apart).
 */
export function nameProblem(
  tenant: Tenant,
  holders: Iterable<Tenant>,
  platform: PlatformConfig,
): NameProblem | undefined {
  const reserved = reservedNameProblem(tenant.spec.teamName, platform);
  if (reserved) return reserved;
  for (const other of holders) {
    if (other.metadata.name === tenant.metadata.name) continue;
    const problem = spaceProblem(tenant, other);
    if (problem) return problem;
  }
  return undefined;
}

/** One name Landlord derives for a tenant: an object's kind, namespace (cluster-scoped: none) and name. */
export interface DerivedName {
  kind: string;
  namespace?: string;
  name: string;
}

/**
 * Every name Landlord derives for a tenant: each object of its desired state (namespaces, the AppProject, the
 * initializer, the repository Secret, ServiceAccounts, bindings, quotas, policies) and the namespace a virtual
 * cluster will live in. Two accepted tenants never share one (name-claims.test.ts proves it over many teams).
 */
export function derivedNames(tenant: Tenant, platform: PlatformConfig): DerivedName[] {
  const objects = buildDesiredState(tenant, platform).flatMap(({ objects }) => objects);
  return [
    ...objects.map(({ kind, metadata }) => ({
      kind,
      ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
      name: metadata.name,
    })),
    { kind: 'Namespace', name: houseNamespaceName(tenant) },
  ];
}

/** A derived name as one string, unique per object: kind, namespace and name. */
export function derivedNameKey(derived: DerivedName): string {
  return `${derived.kind}/${derived.namespace ?? ''}/${derived.name}`;
}

import type { Manifest } from '../tenancy/manifest.ts';
import { houseLabel } from '../tenancy/house/namespace.ts';
import { teamLabel, tenantLabel } from '../tenancy/ownership.ts';
import { houseNamespaceOf } from './houses.ts';

/** Everything the audit looks at: objects as read from a cluster or a folder, and where they came from. */
export interface Inventory {
  objects: AuditedObject[];
  /** A live cluster proves ownership by UID; a folder of YAML has no UIDs, so ownership is not judged. */
  source: 'cluster' | 'folder';
}

/** An object with what the audit needs of its metadata. */
export interface AuditedObject extends Manifest {
  metadata: Manifest['metadata'] & { uid?: string };
}

/** A tenant as the audit knows it: its namespaces and the directory groups that act for it. */
export interface AuditedTenant {
  name: string;
  /** The team's name: its first namespace, and its repository's name on the platform's Git. */
  team: string;
  uid?: string;
  /** Its namespaces: those its Tenant declares, and those labelled as its. */
  namespaces: Set<string>;
  /** The namespaces its Tenant object declares (none when the tenant is known from labels only). */
  declared: Set<string>;
  groups: Set<string>;
  /** Whether its Tenant asks for a dedicated node pool (unknown, so false, when known from labels only). */
  pool: boolean;
  /**
   * Whether it is a house (`isolation: vcluster`): its one host namespace is `vcluster-<team>`, and it is judged by
   * the house's model (ADR 29). Known from its Tenant, else from its namespace's landlord.dev/vcluster label.
   */
  house: boolean;
}

/** Objects of one kind. */
export const ofKind = (inventory: Inventory, kind: string) => inventory.objects.filter((o) => o.kind === kind);

/** Objects of one kind in one namespace. */
export const inNamespace = (inventory: Inventory, kind: string, namespace: string) =>
  inventory.objects.filter((o) => o.kind === kind && o.metadata.namespace === namespace);

/** Which tenant each tenant namespace belongs to. */
export function namespaceOwners(tenants: AuditedTenant[]): Map<string, AuditedTenant> {
  const owners = new Map<string, AuditedTenant>();
  for (const tenant of tenants) for (const namespace of tenant.namespaces) owners.set(namespace, tenant);
  return owners;
}

/** "Kind namespace/name", as findings name objects. */
export function describeObject(object: AuditedObject): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

interface TenantSpecLike {
  teamName?: string;
  adGroup?: string;
  additionalNamespaces?: string[];
  nodePool?: unknown;
  isolation?: string;
}

type TenantMap = Map<string, AuditedTenant>;

function tenantIn(tenants: TenantMap, name: string, team = name): AuditedTenant {
  let tenant = tenants.get(name);
  if (!tenant) {
    tenant = { name, team, namespaces: new Set(), declared: new Set(), groups: new Set(), pool: false, house: false };
    tenants.set(name, tenant);
  }
  return tenant;
}

/**
 * The tenants: from Tenant objects when there are any, and from what carries a tenant label (namespaces,
 * and the groups of RoleBindings in them) otherwise, as in the output of `landlord render`.
 */
export function tenantsOf(inventory: Inventory): AuditedTenant[] {
  const tenants: TenantMap = new Map();
  addDeclaredTenants(inventory, tenants);
  const fromLabels = tenants.size === 0;
  for (const namespace of ofKind(inventory, 'Namespace')) {
    const labels = namespace.metadata.labels ?? {};
    const owner = labels[tenantLabel];
    if (!owner || !(fromLabels || tenants.has(owner))) continue;
    const tenant = tenantIn(tenants, owner, labels[teamLabel] ?? owner);
    tenant.namespaces.add(namespace.metadata.name);
    if (fromLabels && labels[houseLabel] === 'true' && namespace.metadata.name === houseNamespaceOf(tenant.team))
      tenant.house = true;
  }
  addBoundGroups(inventory, tenants);
  return [...tenants.values()];
}

function addDeclaredTenants(inventory: Inventory, tenants: TenantMap): void {
  for (const object of ofKind(inventory, 'Tenant')) {
    const spec = (object.spec ?? {}) as TenantSpecLike;
    const team = spec.teamName ?? object.metadata.name;
    const tenant = tenantIn(tenants, object.metadata.name, team);
    tenant.uid = object.metadata.uid;
    tenant.pool = Boolean(spec.nodePool);
    tenant.house = spec.isolation === 'vcluster';
    // A house has no namespace of the team's name on the host: its one namespace is vcluster-<team>.
    const declared = tenant.house
      ? [houseNamespaceOf(team)]
      : [team, ...(spec.additionalNamespaces ?? []).map((suffix) => `${team}-${suffix}`)];
    for (const namespace of declared) {
      tenant.namespaces.add(namespace);
      tenant.declared.add(namespace);
    }
    if (spec.adGroup) tenant.groups.add(spec.adGroup);
  }
}

/** Groups a tenant's own (labelled) RoleBindings name act for the tenant. */
function addBoundGroups(inventory: Inventory, tenants: TenantMap): void {
  for (const binding of ofKind(inventory, 'RoleBinding')) {
    const owner = tenants.get(binding.metadata.labels?.[tenantLabel] ?? '');
    const subjects = (binding.subjects ?? []) as { kind: string; name: string }[];
    for (const subject of subjects) if (owner && subject.kind === 'Group') owner.groups.add(subject.name);
  }
}

/** The tenant an AppProject serves: by label, else by the team named like the project (the article's habit). */
export function tenantOfProject(project: AuditedObject, tenants: AuditedTenant[]): AuditedTenant | undefined {
  const labelled = project.metadata.labels?.[tenantLabel];
  const team = project.metadata.labels?.[teamLabel] ?? project.metadata.name;
  return tenants.find((tenant) => tenant.name === labelled) ?? tenants.find((tenant) => tenant.namespaces.has(team));
}

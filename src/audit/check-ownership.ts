import { tenantApiVersion, tenantKind } from '../api/crd.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import type { Finding } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject, type Inventory, ofKind } from './inventory.ts';

/**
 * Objects labelled as a tenant's that the tenant's Tenant object does not control (by UID), and tenant
 * namespaces that lost their tenant label. Only a live cluster has UIDs; a folder is not judged.
 */
export function checkOwnership(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  if (inventory.source !== 'cluster') return [];
  const byName = new Map(tenants.map((tenant) => [tenant.name, tenant]));
  const notOwned = inventory.objects
    .filter((object) => object.kind !== tenantKind && object.metadata.labels?.[tenantLabel])
    .filter((object) => !isControlledBy(object, byName.get(object.metadata.labels?.[tenantLabel] ?? '')))
    .map((object) => notOwnedFinding(object, object.metadata.labels?.[tenantLabel] ?? '', byName));
  return [...notOwned, ...unlabelledNamespaces(inventory, tenants)];
}

function notOwnedFinding(object: AuditedObject, claimed: string, byName: Map<string, AuditedTenant>): Finding {
  const uid = byName.get(claimed)?.uid;
  const namespace = object.kind === 'Namespace';
  return {
    severity: 'high',
    rule: 'ownership-not-owned',
    object: describeObject(object),
    tenant: claimed,
    message: uid
      ? `labelled ${tenantLabel}=${claimed} but not controlled by that Tenant (uid ${uid}): ${namespace ? 'its controller ownerReference was removed or replaced, so whoever did it can change its labels and Pod Security (CVE-2022-46167)' : 'someone else made or took it'}`
      : `labelled ${tenantLabel}=${claimed} but no such Tenant exists: a leftover or an impostor`,
    fix: namespace
      ? `restore the controller ownerReference to Tenant ${claimed} (Landlord does on its next reconcile), then find who removed it: RoleBindings granting namespace writes in it`
      : 'delete it if nobody knows it, or remove the label; Landlord recreates what a tenant needs',
  };
}

/** A tenant's declared namespaces that no longer carry its label: selectors keyed on the label miss them. */
function unlabelledNamespaces(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  return ofKind(inventory, 'Namespace').flatMap((namespace) => {
    const tenant = tenants.find((t) => t.uid && t.declared.has(namespace.metadata.name));
    const label = namespace.metadata.labels?.[tenantLabel];
    if (!tenant || label === tenant.name) return [];
    const owned = isControlledBy(namespace, tenant);
    return [
      {
        severity: 'high' as const,
        rule: 'ownership-namespace-unlabelled',
        object: describeObject(namespace),
        tenant: tenant.name,
        message: `tenant ${tenant.name}'s namespace ${label ? `is labelled ${tenantLabel}=${label}` : `has no ${tenantLabel} label`}${owned ? '' : ' and no controller ownerReference to the Tenant'}: the operator, the network policies and the admission rules keyed on the label no longer see it as the tenant's`,
        fix: `label it ${tenantLabel}=${tenant.name}${owned ? '' : ` and restore its controller ownerReference to Tenant ${tenant.name}`} (Landlord does both for namespaces it still holds)`,
      },
    ];
  });
}

/** Whether the object's controller reference points at this Tenant's UID. */
function isControlledBy(object: AuditedObject, tenant: AuditedTenant | undefined): boolean {
  if (!tenant?.uid) return false;
  const controller = object.metadata.ownerReferences?.find((reference) => reference.controller);
  return controller?.apiVersion === tenantApiVersion && controller.kind === tenantKind && controller.uid === tenant.uid;
}

import { tenantApiVersion, tenantKind } from '../api/crd.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import type { Finding } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject, type Inventory } from './inventory.ts';

/**
 * Objects labelled as a tenant's that the tenant's Tenant object does not control (by UID). Only a live
 * cluster has UIDs; a folder is not judged.
 */
export function checkOwnership(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  if (inventory.source !== 'cluster') return [];
  const byName = new Map(tenants.map((tenant) => [tenant.name, tenant]));
  return inventory.objects
    .filter((object) => object.kind !== tenantKind && object.metadata.labels?.[tenantLabel])
    .filter((object) => !isControlledBy(object, byName.get(object.metadata.labels?.[tenantLabel] ?? '')))
    .map((object) => {
      const claimed = object.metadata.labels?.[tenantLabel] ?? '';
      const uid = byName.get(claimed)?.uid;
      return {
        severity: 'high',
        rule: 'ownership-not-owned',
        object: describeObject(object),
        tenant: claimed,
        message: uid
          ? `labelled ${tenantLabel}=${claimed} but not controlled by that Tenant (uid ${uid}): someone else made or took it`
          : `labelled ${tenantLabel}=${claimed} but no such Tenant exists: a leftover or an impostor`,
        fix: 'delete it if nobody knows it, or remove the label; Landlord recreates what a tenant needs',
      };
    });
}

/** Whether the object's controller reference points at this Tenant's UID. */
function isControlledBy(object: AuditedObject, tenant: AuditedTenant | undefined): boolean {
  if (!tenant?.uid) return false;
  const controller = object.metadata.ownerReferences?.find((reference) => reference.controller);
  return controller?.apiVersion === tenantApiVersion && controller.kind === tenantKind && controller.uid === tenant.uid;
}

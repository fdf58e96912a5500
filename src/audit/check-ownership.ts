import { tenantApiVersion, tenantKind } from '../api/crd.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import type { Finding } from './finding.ts';
import { type AuditedTenant, describeObject, type Inventory } from './inventory.ts';

/**
 * Objects labelled as a tenant's that the tenant's Tenant object does not control (by UID). Only a live
 * cluster has UIDs; a folder is not judged.
 */
export function checkOwnership(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  if (inventory.source !== 'cluster') return [];
  const byName = new Map(tenants.map((tenant) => [tenant.name, tenant]));
  const findings: Finding[] = [];
  for (const object of inventory.objects) {
    const claimed = object.metadata.labels?.[tenantLabel];
    if (!claimed || object.kind === tenantKind) continue;
    const tenant = byName.get(claimed);
    const controller = object.metadata.ownerReferences?.find((reference) => reference.controller);
    const owned =
      tenant?.uid !== undefined &&
      controller?.apiVersion === tenantApiVersion &&
      controller.kind === tenantKind &&
      controller.uid === tenant.uid;
    if (owned) continue;
    findings.push({
      severity: 'high',
      rule: 'ownership-not-owned',
      object: describeObject(object),
      tenant: claimed,
      message: tenant?.uid
        ? `labelled ${tenantLabel}=${claimed} but not controlled by that Tenant (uid ${tenant.uid}): someone else made or took it`
        : `labelled ${tenantLabel}=${claimed} but no such Tenant exists: a leftover or an impostor`,
      fix: 'delete it if nobody knows it, or remove the label; Landlord recreates what a tenant needs',
    });
  }
  return findings;
}

import type { Tenant, TenantStatus } from '../api/tenant.ts';
import type { KubernetesObject } from '../kube/object.ts';
import { isOwnedBy } from './owner-reference.ts';

/** One object in Landlord's own record of what it created for a tenant. */
export type HeldObject = NonNullable<TenantStatus['heldObjects']>[number];

/** The record entry of a live object. */
export function heldObjectOf(object: KubernetesObject): HeldObject {
  const { name = '', namespace, uid = '' } = object.metadata ?? {};
  return {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    ...(namespace ? { namespace } : {}),
    name,
    uid,
  };
}

/**
 * Whether the tenant holds the object: a controller ownerReference to its UID, or the object's UID in the
 * tenant's status, which only Landlord writes. So stripping the ownerReference makes nothing anyone's to take.
 */
export function isHeldBy(object: KubernetesObject, tenant: Tenant): boolean {
  const uid = object.metadata?.uid;
  return isOwnedBy(object, tenant) || (!!uid && (tenant.status?.heldObjects ?? []).some((held) => held.uid === uid));
}

/** The recorded objects of one kind. */
export function recordedOfKind(tenant: Tenant, kind: string): HeldObject[] {
  return (tenant.status?.heldObjects ?? []).filter((held) => held.kind === kind);
}

/** A stable order, so an unchanged record never rewrites the status. */
export function sortHeld(objects: HeldObject[]): HeldObject[] {
  const key = (held: HeldObject) => `${held.kind}/${held.namespace ?? ''}/${held.name}`;
  return [...objects].sort((a, b) => key(a).localeCompare(key(b)));
}

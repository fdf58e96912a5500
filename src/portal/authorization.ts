import type { Tenant } from '../api/tenant.ts';
import { PortalError } from './errors.ts';
import type { PortalUser } from './user.ts';

/** Who may do what in the portal: directory groups, nothing else. */
export interface PortalPolicy {
  /** Members of any of these groups may request tenants. */
  requesterGroups: string[];
  /** Members of any of these groups see and manage every tenant. */
  adminGroups: string[];
}

const memberOfAny = (user: PortalUser, groups: string[]) => user.groups.some((group) => groups.includes(group));

export const isAdmin = (user: PortalUser, policy: PortalPolicy) => memberOfAny(user, policy.adminGroups);

/** Requesters and admins may request tenants (for which teams is requestRefusal's question). */
export const mayRequest = (user: PortalUser, policy: PortalPolicy) =>
  isAdmin(user, policy) || memberOfAny(user, policy.requesterGroups);

/** A user sees a tenant when they are in its directory group, or an admin. */
export function canSee(user: PortalUser, tenant: Tenant, policy: PortalPolicy): boolean {
  return isAdmin(user, policy) || user.groups.includes(tenant.spec.adGroup);
}

/**
 * Why the user may not request this tenant, or undefined when they may: requesters only, and only for a
 * team (adGroup) they belong to, unless they are admins.
 */
export function requestRefusal(
  user: PortalUser,
  tenant: Pick<Tenant, 'spec'>,
  policy: PortalPolicy,
): string | undefined {
  if (isAdmin(user, policy)) return undefined;
  if (!mayRequest(user, policy)) {
    return `only members of ${policy.requesterGroups.join(', ')} may request tenants`;
  }
  if (!user.groups.includes(tenant.spec.adGroup)) {
    return `spec.adGroup: "${tenant.spec.adGroup}" is not one of your groups (${user.groups.join(', ') || 'none'})`;
  }
  return undefined;
}

/** Whether the user is the tenant's owner: their directory email is its spec.ownerEmail (case aside). */
export const isOwner = (user: PortalUser, tenant: Tenant) =>
  user.email !== '' && user.email.toLowerCase() === tenant.spec.ownerEmail.toLowerCase();

/**
 * Platform admins, and the tenant's owner while in its group, may decommission it; other members may not (one
 * member could otherwise end the whole team's environment).
 */
export const canDecommission = (user: PortalUser, tenant: Tenant, policy: PortalPolicy) =>
  isAdmin(user, policy) || (isOwner(user, tenant) && canSee(user, tenant, policy));

/** The tenant by name if the user may see it; otherwise the same 404 as for a tenant that does not exist. */
export function visibleTenant(
  context: { tenants: { get(name: string): Tenant | undefined }; policy: PortalPolicy },
  user: PortalUser,
  name: string,
): Tenant {
  const tenant = context.tenants.get(name);
  if (!tenant || !canSee(user, tenant, context.policy)) {
    throw new PortalError(404, 'not-found', `no tenant ${name} that you can see`);
  }
  return tenant;
}

import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import type { DesiredState } from '../desired-state.ts';
import { houseArgoCdApplicationName } from '../names.ts';
import { hasHouseArgoCd } from './tenant-argocd.ts';

/** What the operator has seen of the house's Argo CD Application on the host: only whether it is there. */
export interface HouseArgoCdSeen {
  /** The host Application argocd-<team> is in the operator's cache. */
  applicationExists: boolean;
}

/**
 * Whether the host Application installing the team's Argo CD may be in the applied state yet: once the house has
 * answered (HouseAPIReady True in the status only Landlord writes), or once it exists or is in Landlord's record.
 * Before that the host Argo CD could not reach the house: it would back off against it and, should the house be
 * deleted, wait on a cascade it cannot run. Once there, it stays: holding it back later would prune it (ADR house
 * Argo CD gate).
 */
export function houseArgoCdDue(tenant: Tenant, platform: PlatformConfig, seen: HouseArgoCdSeen): boolean {
  if (!hasHouseArgoCd(tenant)) return false;
  if (seen.applicationExists) return true;
  const name = houseArgoCdApplicationName(tenant);
  const recorded = (tenant.status?.heldObjects ?? []).some(
    (held) =>
      held.kind === 'Application' &&
      held.apiVersion === 'argoproj.io/v1alpha1' &&
      held.name === name &&
      held.namespace === platform.argocd.namespace,
  );
  const answered = tenant.status?.conditions?.some(
    (condition) => condition.type === 'HouseAPIReady' && condition.status === 'True',
  );
  return recorded || answered === true;
}

/**
 * The desired state as the operator applies it: without the house's Argo CD Application while it is not due
 * (`landlord render` keeps the whole desired state: this is when, not what).
 */
export function gateHouseArgoCd(
  state: DesiredState,
  tenant: Tenant,
  platform: PlatformConfig,
  seen: HouseArgoCdSeen,
): DesiredState {
  if (!hasHouseArgoCd(tenant) || houseArgoCdDue(tenant, platform, seen)) return state;
  const name = houseArgoCdApplicationName(tenant);
  const held = (object: DesiredState[number]['objects'][number]) =>
    object.kind === 'Application' &&
    object.metadata.name === name &&
    object.metadata.namespace === platform.argocd.namespace;
  return state.map((part) => ({ ...part, objects: part.objects.filter((object) => !held(object)) }));
}

import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { buildLimitRanges } from '../limits.ts';
import type { Manifest } from '../manifest.ts';
import { houseNamespaceName } from '../names.ts';
import { buildResourceQuotas } from '../resource-quotas.ts';
import { formatQuantity, parseQuantity } from '../quantity.ts';
import { hasHouseArgoCd, houseArgoCdFootprint } from './tenant-argocd.ts';

/**
 * The tenant's ResourceQuota and LimitRange on the house's host namespace: everything the house runs is synced
 * there, so the host quota is the house's ceiling. Same figures as a namespace tenant's (a house has one namespace),
 * and a container maximum that admits the control plane's limits and no more.
 */
export function buildHouseQuota(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  const namespace = houseNamespaceName(tenant);
  const inHouse = (object: Manifest): Manifest => ({ ...object, metadata: { ...object.metadata, namespace } });
  const quotas = buildResourceQuotas(tenant, platform).map(inHouse);
  const limits = buildLimitRanges(tenant, platform)
    .map(inHouse)
    .map((range) => withContainerMax(range, platform));
  return [...quotas, ...limits];
}

function withContainerMax(range: Manifest, platform: PlatformConfig): Manifest {
  const spec = range.spec as { limits: Record<string, unknown>[] };
  const max = platform.houses.controlPlane.limits;
  const limits = spec.limits.map((limit) =>
    limit.type === 'Container' ? { ...limit, max: { cpu: max.cpu, memory: max.memory } } : limit,
  );
  return { ...range, spec: { ...spec, limits } };
}

/** One figure the quota must hold: what the control plane needs of it, what the team's Argo CD needs. */
interface Need {
  field: string;
  controlPlane: bigint;
  argocd: bigint;
  has: string;
  /** The spec field that sets it, and how much to ask there. */
  spec: string;
  ask: bigint;
}

/**
 * What the tenant's quota lacks to hold its own control plane (its requests, limits and volume) and, when it has
 * one, its own Argo CD (houseArgoCdFootprint), or nothing: a house whose quota cannot hold them is refused, with how
 * much it needs, before anything is deployed.
 */
export function houseQuotaShortfall(tenant: Tenant, platform: PlatformConfig): string | undefined {
  const short = quotaNeeds(tenant, platform).filter(
    (need) => parseQuantity(need.has) < need.controlPlane + need.argocd,
  );
  if (short.length === 0) return undefined;
  const asks = new Map<string, bigint>();
  for (const need of short) asks.set(need.spec, maxOf(asks.get(need.spec) ?? 0n, need.ask));
  const who = hasHouseArgoCd(tenant)
    ? "the house's control plane and its Argo CD need"
    : "the house's control plane needs";
  return (
    `${who} ${short.map(describeNeed).join(', ')}; ` +
    `ask for at least ${[...asks].map(([spec, milli]) => `${spec}: ${formatQuantity(milli)}`).join(', ')}`
  );
}

/** Each figure of the quota a house needs, with what the quota gives. */
function quotaNeeds(tenant: Tenant, platform: PlatformConfig): Need[] {
  const hard = (buildResourceQuotas(tenant, platform)[0]?.spec as { hard: Record<string, string> }).hard;
  const { requests, limits, storage } = platform.houses.controlPlane;
  const argocd = hasHouseArgoCd(tenant) ? houseArgoCdFootprint(platform) : undefined;
  const ratio = BigInt(platform.limitToRequestRatio);
  const checks: [string, string, bigint | undefined, string][] = [
    ['requests.cpu', requests.cpu, argocd?.requests.cpu, 'spec.resourceQuota.cpu'],
    ['requests.memory', requests.memory, argocd?.requests.memory, 'spec.resourceQuota.memory'],
    ['limits.cpu', limits.cpu, argocd?.limits.cpu, 'spec.resourceQuota.cpu'],
    ['limits.memory', limits.memory, argocd?.limits.memory, 'spec.resourceQuota.memory'],
    ['requests.storage', storage, undefined, 'spec.resourceQuota.storage'],
  ];
  return checks.map(([field, plane, forArgoCd = 0n, spec]) => {
    const needs = parseQuantity(plane) + forArgoCd;
    // Limits are the quota times the platform's ratio: the spec must ask for the need divided by it.
    const ask = field.startsWith('limits.') ? (needs + ratio - 1n) / ratio : needs;
    return { field, controlPlane: parseQuantity(plane), argocd: forArgoCd, has: hard[field] ?? '0', spec, ask };
  });
}

function describeNeed(need: Need): string {
  const total = formatQuantity(need.controlPlane + need.argocd);
  if (need.argocd === 0n) return `${need.field} ${total} (the quota gives ${need.has})`;
  return `${need.field} ${total} (${formatQuantity(need.controlPlane)} for its control plane and ${formatQuantity(need.argocd)} for its Argo CD; the quota gives ${need.has})`;
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

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
}

/**
 * What the tenant's quota lacks to hold its own control plane (its requests, limits and volume) and, when it has
 * one, its own Argo CD (houseArgoCdFootprint), or nothing: a house whose quota cannot hold them is refused, with how
 * much it needs, before anything is deployed.
 */
export function houseQuotaShortfall(tenant: Tenant, platform: PlatformConfig): string | undefined {
  const hard = (buildResourceQuotas(tenant, platform)[0]?.spec as { hard: Record<string, string> }).hard;
  const { requests, limits, storage } = platform.houses.controlPlane;
  const argocd = hasHouseArgoCd(tenant) ? houseArgoCdFootprint(platform) : undefined;
  const ratio = platform.limitToRequestRatio;
  const checks: [string, string, bigint, string][] = [
    ['requests.cpu', requests.cpu, argocd?.requests.cpu ?? 0n, 'spec.resourceQuota.cpu'],
    ['requests.memory', requests.memory, argocd?.requests.memory ?? 0n, 'spec.resourceQuota.memory'],
    ['limits.cpu', limits.cpu, argocd?.limits.cpu ?? 0n, 'spec.resourceQuota.cpu'],
    ['limits.memory', limits.memory, argocd?.limits.memory ?? 0n, 'spec.resourceQuota.memory'],
    ['requests.storage', storage, 0n, 'spec.resourceQuota.storage'],
  ];
  const short: (Need & { spec: string; ask: bigint })[] = [];
  for (const [field, plane, forArgoCd, spec] of checks) {
    const has = hard[field] ?? '0';
    const needs = parseQuantity(plane) + forArgoCd;
    if (parseQuantity(has) >= needs) continue;
    // Limits are the quota times the platform's ratio: the spec must ask for the need divided by it.
    const ask = field.startsWith('limits.') ? (needs + BigInt(ratio) - 1n) / BigInt(ratio) : needs;
    short.push({ field, controlPlane: parseQuantity(plane), argocd: forArgoCd, has, spec, ask });
  }
  if (short.length === 0) return undefined;
  const asks = new Map<string, bigint>();
  for (const need of short) asks.set(need.spec, maxOf(asks.get(need.spec) ?? 0n, need.ask));
  const needs = (n: Need) =>
    n.argocd > 0n
      ? `${n.field} ${formatQuantity(n.controlPlane + n.argocd)} (${formatQuantity(n.controlPlane)} for its control plane and ${formatQuantity(n.argocd)} for its Argo CD; the quota gives ${n.has})`
      : `${n.field} ${formatQuantity(n.controlPlane)} (the quota gives ${n.has})`;
  const who = argocd ? "the house's control plane and its Argo CD need" : "the house's control plane needs";
  return (
    `${who} ${short.map(needs).join(', ')}; ` +
    `ask for at least ${[...asks].map(([spec, milli]) => `${spec}: ${formatQuantity(milli)}`).join(', ')}`
  );
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { buildLimitRanges } from '../limits.ts';
import type { Manifest } from '../manifest.ts';
import { houseNamespaceName } from '../names.ts';
import { buildResourceQuotas } from '../resource-quotas.ts';
import { formatQuantity, parseQuantity } from '../quantity.ts';

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

/** One figure the quota must hold for the control plane. */
interface Need {
  field: string;
  needs: string;
  has: string;
}

/**
 * What the tenant's quota lacks to hold its own control plane (its requests, limits and volume), or nothing: a house
 * whose quota cannot hold it is refused, with how much it needs, before anything is deployed.
 */
export function houseQuotaShortfall(tenant: Tenant, platform: PlatformConfig): string | undefined {
  const hard = (buildResourceQuotas(tenant, platform)[0]?.spec as { hard: Record<string, string> }).hard;
  const { requests, limits, storage } = platform.houses.controlPlane;
  const ratio = platform.limitToRequestRatio;
  const checks: [string, string, string][] = [
    ['requests.cpu', requests.cpu, 'spec.resourceQuota.cpu'],
    ['requests.memory', requests.memory, 'spec.resourceQuota.memory'],
    ['limits.cpu', limits.cpu, 'spec.resourceQuota.cpu'],
    ['limits.memory', limits.memory, 'spec.resourceQuota.memory'],
    ['requests.storage', storage, 'spec.resourceQuota.storage'],
  ];
  const short: (Need & { spec: string; ask: string })[] = [];
  for (const [field, needs, spec] of checks) {
    const has = hard[field] ?? '0';
    if (parseQuantity(has) >= parseQuantity(needs)) continue;
    // Limits are the quota times the platform's ratio: the spec must ask for the need divided by it.
    const perSpec = field.startsWith('limits.')
      ? (parseQuantity(needs) + BigInt(ratio) - 1n) / BigInt(ratio)
      : parseQuantity(needs);
    short.push({ field, needs, has, spec, ask: formatQuantity(perSpec) });
  }
  if (short.length === 0) return undefined;
  const asks = new Map<string, bigint>();
  for (const need of short) asks.set(need.spec, maxOf(asks.get(need.spec) ?? 0n, parseQuantity(need.ask)));
  return (
    `the house's control plane needs ${short.map((n) => `${n.field} ${n.needs} (the quota gives ${n.has})`).join(', ')}; ` +
    `ask for at least ${[...asks].map(([spec, milli]) => `${spec}: ${formatQuantity(milli)}`).join(', ')}`
  );
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

import type { KubernetesConcern } from './concern.ts';
import { buildLimitRanges } from './limits.ts';
import { buildResourceQuotas } from './resource-quotas.ts';
import { isHouse } from './house/is-house.ts';
import { buildHouseQuota } from './house/quota.ts';
import { houseFile } from './house/layout.ts';

export { buildResourceQuotas, canonicalCount } from './resource-quotas.ts';

/** Quotas and default limits: what the tenant may consume, and what a container gets when it says nothing. */
export const quotaConcern: KubernetesConcern = {
  name: 'Quota',
  condition: 'QuotaReady',
  holding: 'owned',
  kinds: [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      plural: 'resourcequotas',
      namespaced: true,
      watch: 'cluster',
      exact: ['spec'],
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      plural: 'limitranges',
      namespaced: true,
      watch: 'cluster',
      exact: ['spec'],
    },
  ],
  build: (tenant, platform) =>
    isHouse(tenant)
      ? buildHouseQuota(tenant, platform)
      : [...buildResourceQuotas(tenant, platform), ...buildLimitRanges(tenant, platform)],
  file: (object, tenant) => {
    if (isHouse(tenant)) return houseFile(object);
    return object.kind === 'ResourceQuota' ? 'resource-quotas.yaml' : 'limit-ranges.yaml';
  },
};

import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { tenantNamespaces } from './names.ts';
import { tenantLabels } from './ownership.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import { namespaceShare } from './namespace-share.ts';

/**
 * A LimitRange per namespace: defaults so that containers without requests or limits are admitted under the
 * quota (a quota on requests refuses pods that state none), and ceilings no single container or claim can pass.
 */
export function buildLimitRanges(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  const { request, limit } = platform.containerDefaults;
  const share = namespaceShare(tenant);
  return tenantNamespaces(tenant).map((namespace) => ({
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: `${tenant.spec.teamName}-limits`, namespace, labels: tenantLabels(tenant) },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: request.cpu, memory: request.memory, 'ephemeral-storage': request.ephemeralStorage },
          default: { cpu: limit.cpu, memory: limit.memory, 'ephemeral-storage': limit.ephemeralStorage },
        },
        { type: 'PersistentVolumeClaim', max: { storage: share.storage } },
      ],
    },
  }));
}

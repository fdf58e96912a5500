import type { Tenant } from '../../api/tenant.ts';
import { houseReleaseName } from '../names.ts';

/**
 * The label vCluster's syncer puts on every object it copies from the house to the host, workloads' pods included,
 * overwriting whatever the team set: the control plane's pod never carries it.
 */
export const syncedMarkerLabel = 'vcluster.loft.sh/managed-by';

/**
 * Selects the house's control-plane pod and nothing the team runs: the chart's labels (which a team could copy onto
 * its own pods inside the house, since labels are synced) AND the absence of the syncer's marker, which the team
 * cannot remove from a synced pod.
 */
export function controlPlaneSelector(tenant: Tenant): Record<string, unknown> {
  return {
    matchLabels: { app: 'vcluster', release: houseReleaseName(tenant) },
    matchExpressions: [{ key: syncedMarkerLabel, operator: 'DoesNotExist' }],
  };
}

/** The port the virtual API server listens on in its pod (the Service's 443 targets it). */
export const virtualApiServerPort = 8443;

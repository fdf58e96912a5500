import { houseArgoCdEgressPort, syncedNamespaceLabel } from '../tenancy/house/argocd-network.ts';
import { syncedMarkerLabel } from '../tenancy/house/control-plane.ts';
import { houseArgoCdNamespace } from '../tenancy/names.ts';
import type { Severity } from './finding.ts';
import type { LabelSelector } from './label-selector.ts';
import { type Direction, type Opening, onlyOnPorts } from './network-union.ts';
import type { AuditOptions } from './options.ts';

/** One way a namespace is open, with how bad it is; `rule` when it is a rule of its own, not namespace-<dir>-open. */
export interface Opened {
  severity: Severity;
  what: string;
  rule?: string;
}

/** The host API server's ports, which a house's control plane (its syncer) must reach. */
export const hostApiServerPorts = [443, 6443];

/** The rule for a house control plane reaching any address on the host API server's ports. */
export const hostApiAnyAddressRule = 'house-host-api-any-address';

/** What to do about hostApiAnyAddressRule: the platform team names the host API server's addresses. */
export const hostApiAnyAddressFix =
  'set houses.hostAPIServerCIDRs in the platform configuration to where the host API server answers (the kubernetes Service\'s ClusterIP and its EndpointSlice addresses, each /32; docs/cluster-requirements.md "Houses: the host API server\'s addresses"): Landlord then lets the control plane reach those addresses only';

/** The rule for a house's own Argo CD reaching any address on 443 (houses.argocd.egressCIDRs empty). */
export const argoCdAnyAddressRule = 'house-argocd-egress-any-address';

/** What to do about argoCdAnyAddressRule: the platform team names where Dex and Git answer. */
export const argoCdAnyAddressFix =
  'set houses.argocd.egressCIDRs in the platform configuration to where the central Dex and the Git servers answer (docs/cluster-requirements.md "Houses: their Argo CD\'s way out"): Landlord then lets the house\'s Argo CD reach those addresses only';

/** The fix of each rule judgeHouseOpening may give. */
export const houseRuleFixes: Record<string, string> = {
  [hostApiAnyAddressRule]: hostApiAnyAddressFix,
  [argoCdAnyAddressRule]: argoCdAnyAddressFix,
};

/**
 * Whether the pods are all synced from the house's `argocd` namespace: vCluster sets that label on every pod it
 * syncs, and the team cannot forge it. The team can run pods of its own there (it is cluster-admin in its house),
 * and they get the same way out, which its Argo CD (repo-server plugins, its admin role) has anyway.
 */
const selectsHouseArgoCd = (pods: LabelSelector | undefined): boolean =>
  pods?.matchLabels?.[syncedNamespaceLabel] === houseArgoCdNamespace;

/**
 * Whether the pods are the house's control plane only: a selector requiring the syncer's marker to be absent selects
 * no pod the house synced from inside (the team's workloads), whatever labels the team gave them (ADR 29).
 */
export const selectsControlPlaneOnly = (pods: LabelSelector | undefined): boolean =>
  (pods?.matchExpressions ?? []).some((e) => e.key === syncedMarkerLabel && e.operator === 'DoesNotExist');

/**
 * A house namespace's egress to the host API server, judged by the house's model: its control plane reaching the
 * host API server's addresses on its ports is what the house needs (no finding); reaching any address on those ports,
 * as when houses.hostAPIServerCIDRs is empty, is medium under its own rule; the team's workloads reaching the host API
 * server is high. Undefined when the opening is not about the host API server: the tenant rules judge it.
 */
export function judgeHouseOpening(
  options: AuditOptions,
  direction: Direction,
  opening: Opening,
  where: string,
): Opened[] | undefined {
  if (direction !== 'egress') return undefined;
  const { reach, ports } = opening;
  const argoCd = judgeArgoCdEgress(options, opening, where);
  if (argoCd) return argoCd;
  const hostCIDR = reach.kind === 'ip-block' && options.houses.hostAPIServerCIDRs.includes(reach.cidr);
  if (!selectsControlPlaneOnly(opening.pods)) {
    if (!hostCIDR) return undefined;
    return [
      {
        severity: 'high',
        what: `${where} the host API server's addresses (${reach.kind === 'ip-block' ? reach.cidr : ''}): only the house's control plane may, never the workloads the team runs in it`,
      },
    ];
  }
  if (!onlyOnPorts(ports, hostApiServerPorts)) return undefined;
  if (hostCIDR) return [];
  if (reach.kind !== 'everything') return undefined;
  return [
    {
      severity: 'medium',
      rule: hostApiAnyAddressRule,
      what: `${where} any address on ${hostApiServerPorts.join(' and ')}, not only the host API server: a team that is cluster-admin in its house can make its API server call a webhook of its choosing at any such address`,
    },
  ];
}

/**
 * The house's Argo CD going out on 443: to the addresses of houses.argocd.egressCIDRs is what it needs (no finding);
 * to any address, as when that list is empty, is medium under its own rule. Undefined for anything else.
 */
function judgeArgoCdEgress(options: AuditOptions, opening: Opening, where: string): Opened[] | undefined {
  const { reach } = opening;
  if (!selectsHouseArgoCd(opening.pods) || !onlyOnPorts(opening.ports, [houseArgoCdEgressPort])) return undefined;
  if (reach.kind === 'ip-block' && options.houses.argoCdEgressCIDRs.includes(reach.cidr)) return [];
  if (reach.kind !== 'everything') return undefined;
  return [
    {
      severity: 'medium',
      rule: argoCdAnyAddressRule,
      what: `${where} any address on ${houseArgoCdEgressPort}, not only the central Dex and the Git servers: whatever the team runs in its house's argocd namespace can send anything anywhere on that port`,
    },
  ];
}

import { type AppProjectSpec, impersonatedAs, isDestinationPermitted } from './appproject-semantics.ts';
import type { Finding, Severity } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject } from './inventory.ts';
import { houseArgoNameOf, houseDeployerOf, houseNamespaceOf, houseServerOf } from './houses.ts';
import { type AuditOptions, futureNamespaceProbe } from './options.ts';

/** What a house project's rules look at. */
export interface HouseProjectContext {
  project: AuditedObject;
  spec: AppProjectSpec;
  tenant: AuditedTenant;
  options: AuditOptions;
}

/**
 * A house's own AppProject (`vcluster-<team>`), judged by the house's model (ADR 29) instead of the apartment's
 * kinds: every cluster-scoped kind and the platform's namespaced kinds are the team's inside its house, so what
 * keeps the host safe is that syncs there run as the chart deployer. Its destinations: the house namespace on the
 * host and the house itself, nothing else. Destinations into other namespaces are check-projects' rules.
 */
export function checkHouseProject(context: HouseProjectContext): Finding[] {
  return [...impersonation(context), ...otherClusters(context)];
}

function impersonation(context: HouseProjectContext): Finding[] {
  const { spec, tenant, options } = context;
  const host = options.destinationServer;
  const namespace = houseNamespaceOf(tenant.team);
  const deployer = houseDeployerOf(tenant.team);
  const fix = `put first in destinationServiceAccounts {server: ${host}, namespace: ${namespace}, defaultServiceAccount: ${deployer}}, and one for the house's server (Landlord writes both)`;
  const findings: Finding[] = [];
  const onHost = impersonatedAs(spec, host, namespace);
  if (onHost !== deployer && isDestinationPermitted(spec, { server: host, name: options.destinationName, namespace })) {
    findings.push(
      houseFinding(
        context,
        'house-project-impersonation',
        'high',
        onHost
          ? `syncs into ${namespace} on the host run as ${onHost}, not the chart deployer ${deployer}: the project allows every cluster-scoped kind and the platform's own kinds (quotas, network policies, Argo CD apps), so that account's rights, not the deployer's, are all that limits them on the host`
          : `syncs into ${namespace} on the host are not impersonated: deletions (and every sync where Argo CD's impersonation is off) run with Argo CD's own rights, and the project allows every cluster-scoped kind and the platform's own kinds (quotas, network policies, Argo CD apps) on the host`,
        fix,
      ),
    );
  }
  const server = houseServerOf(tenant.team, options);
  if (!impersonatedAs(spec, server, futureNamespaceProbe)) {
    findings.push(
      houseFinding(
        context,
        'house-project-impersonation',
        'medium',
        `syncs into the house (${server}) are not impersonated: they run with the house's registered admin certificate, not the house's own deployer`,
        fix,
      ),
    );
  }
  return findings;
}

/** Destination entries naming a cluster that is neither the host nor the house (patterns: check-projects' rules). */
function otherClusters(context: HouseProjectContext): Finding[] {
  const { spec, tenant, options } = context;
  const own = {
    servers: [options.destinationServer, houseServerOf(tenant.team, options)],
    names: [options.destinationName, houseArgoNameOf(tenant.team)],
  };
  const isPattern = (value: string) => /[*?[{!]/.test(value);
  const foreign = (spec.destinations ?? [])
    .map((d) =>
      d.server
        ? { field: 'server', value: d.server, known: own.servers }
        : { field: 'name', value: d.name ?? '', known: own.names },
    )
    .filter(({ value, known }) => value && !isPattern(value) && !known.includes(value))
    .map(({ field, value }) => `${field} ${value}`);
  if (!foreign.length) return [];
  return [
    houseFinding(
      context,
      'house-project-destination',
      'high',
      `may deploy to ${[...new Set(foreign)].join(', ')}: a cluster that is neither the host's ${houseNamespaceOf(tenant.team)} nor the house (${houseServerOf(tenant.team, options)})`,
      `list exactly {server: ${options.destinationServer}, namespace: ${houseNamespaceOf(tenant.team)}} and {server: ${houseServerOf(tenant.team, options)}, namespace: "*"} (Landlord writes these)`,
    ),
  ];
}

/** Namespaces every house has, and one it may make later: a destination allowing any of them reaches the house. */
const namespacesInAHouse = ['default', 'kube-system', futureNamespaceProbe];

/** Other tenants' houses a project (any tenant's) may deploy into, by their server or their Argo CD cluster name. */
export function otherHouses(
  spec: AppProjectSpec,
  tenant: AuditedTenant | undefined,
  tenants: AuditedTenant[],
  options: AuditOptions,
): { tenant: AuditedTenant; server: string }[] {
  return tenants
    .filter((other) => other.house && other !== tenant)
    .map((other) => ({ tenant: other, server: houseServerOf(other.team, options) }))
    .filter(({ tenant: other, server }) =>
      namespacesInAHouse.some((namespace) =>
        isDestinationPermitted(spec, { server, name: houseArgoNameOf(other.team), namespace }),
      ),
    );
}

function houseFinding(
  context: HouseProjectContext,
  rule: string,
  severity: Severity,
  message: string,
  fix: string,
): Finding {
  return {
    severity,
    rule,
    object: describeObject(context.project),
    tenant: context.tenant.name,
    message: `house ${context.tenant.name}'s project: ${message}`,
    fix,
  };
}

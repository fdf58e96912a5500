import { tenantResource } from '../../api/crd.ts';
import type { Tenant } from '../../api/tenant.ts';
import { apiPath } from '../../kube/api-path.ts';
import { KubeApiError, type KubeHttp } from '../../kube/http.ts';
import { CliError, ExitCode } from '../exit-codes.ts';

/** One house as `landlord vcluster list` shows it. */
export interface HouseRow {
  tenant: string;
  team: string;
  phase: string;
  kubernetesVersion: string;
  url: string;
  message?: string;
}

/** The caller's view of the Tenants: all of them, or none readable (a team member may not list Tenants). */
export type TenantsSeen = { readable: true; tenants: Tenant[] } | { readable: false; why: string };

/** Every Tenant the caller may list, with the caller's own credentials. */
export async function tenantsSeen(http: KubeHttp): Promise<TenantsSeen> {
  try {
    const list = await http.request<{ items: Tenant[] }>({ method: 'GET', path: apiPath(tenantResource) });
    return { readable: true, tenants: list.items };
  } catch (error) {
    if (error instanceof KubeApiError && (error.status === 403 || error.status === 401))
      return { readable: false, why: error.message };
    throw new CliError(`cannot list Tenants: ${(error as Error).message}`, ExitCode.environment);
  }
}

/** Every house the caller can see; a clear refusal when the caller may not list Tenants (a team member). */
export async function listHouses(http: KubeHttp): Promise<HouseRow[]> {
  const seen = await tenantsSeen(http);
  if (!seen.readable)
    throw new CliError(
      `you may not list Tenants (${seen.why}): team members see their tenants in the portal`,
      ExitCode.invalid,
    );
  return houseRows(seen.tenants);
}

/** Whether the tenant is a house (a virtual cluster of its own). */
export const isHouse = (tenant: Tenant) => tenant.spec.isolation === 'vcluster';

/** Terminating from the moment it is being deleted, whatever the operator last wrote. */
export const phaseOf = (tenant: Tenant) =>
  tenant.metadata.deletionTimestamp ? 'Terminating' : (tenant.status?.phase ?? 'Pending');

/** The houses among the tenants, by team, as `list` shows them. */
export function houseRows(tenants: Tenant[]): HouseRow[] {
  return tenants
    .filter(isHouse)
    .map((tenant) => ({
      tenant: tenant.metadata.name,
      team: tenant.spec.teamName,
      phase: phaseOf(tenant),
      kubernetesVersion: tenant.status?.kubernetesVersion ?? '',
      url: tenant.status?.vclusterURL ?? '',
      message: tenant.status?.conditions?.find((condition) => condition.type === 'Ready')?.message,
    }))
    .sort((a, b) => a.team.localeCompare(b.team));
}

/** The houses as a table: team, phase, Kubernetes version, URL ("-" for what is not reported yet). */
export function houseTable(rows: HouseRow[]): string {
  if (rows.length === 0) return 'No houses (tenants with isolation: vcluster) that you can see.\n';
  const header = ['TEAM', 'PHASE', 'VERSION', 'URL'];
  const cells = [header, ...rows.map((r) => [r.team, r.phase, r.kubernetesVersion || '-', r.url || '-'])];
  const widths = header.map((_, column) => Math.max(...cells.map((line) => (line[column] ?? '').length)));
  const line = (cellsOfLine: string[]) =>
    cellsOfLine
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return `${cells.map(line).join('\n')}\n`;
}

/**
 * The house of a team, checked before its credentials are read: a clear error for no such tenant, a namespace
 * tenant, or a house not Ready. Undefined when the caller cannot list Tenants (the Secret's read then decides).
 */
export function houseOfTeam(seen: TenantsSeen, team: string): Tenant | undefined {
  if (!seen.readable) return undefined;
  const tenant =
    seen.tenants.find((candidate) => candidate.spec.teamName === team) ??
    seen.tenants.find((candidate) => candidate.metadata.name === team);
  if (!tenant)
    throw new CliError(
      `no tenant has the team ${team}: \`landlord vcluster list\` shows the houses you can see`,
      ExitCode.invalid,
    );
  const { teamName, isolation } = tenant.spec;
  if (!isHouse(tenant)) {
    throw new CliError(
      `${teamName} is a ${isolation} tenant, not a house: use \`kubectl -n ${teamName}\` (its namespaces: ` +
        `${(tenant.status?.namespaces ?? [teamName]).join(', ')}) with the kubeconfig the portal issues; ` +
        '`landlord vcluster connect` is for tenants with isolation: vcluster',
      ExitCode.invalid,
    );
  }
  const phase = phaseOf(tenant);
  if (phase !== 'Ready') {
    const message = tenant.status?.conditions?.find((condition) => condition.type === 'Ready')?.message;
    throw new CliError(
      `${teamName}'s house is ${phase}${message ? `: ${message}` : ''}; connect once it is Ready ` +
        '(`landlord vcluster list` shows its phase)',
      ExitCode.invalid,
    );
  }
  return tenant;
}

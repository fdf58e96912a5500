import type { Tenant } from '../api/tenant.ts';
import { houseLoopbackAddress } from '../tenancy/house-address.ts';
import { houseArgoName, houseChartDeployerName, houseNamespaceName } from '../tenancy/names.ts';
import type { AuditOptions } from './options.ts';

/** A team's names as the house builders derive them (they read nothing but the team's name). */
const asTeam = (team: string) => ({ spec: { teamName: team } }) as Tenant;

/** A house's one host namespace, `vcluster-<team>`. */
export const houseNamespaceOf = (team: string): string => houseNamespaceName(asTeam(team));

/** The name of a house's AppProject, Application and cluster Secret in the host Argo CD, `vcluster-<team>`. */
export const houseArgoNameOf = (team: string): string => houseArgoName(asTeam(team));

/** The ServiceAccount the host Argo CD must impersonate on the host for a house, as `namespace:name`. */
export const houseDeployerOf = (team: string): string => `${houseNamespaceOf(team)}:${houseChartDeployerName}`;

/** The address of a house's API server (house-address.ts houseServerURL, from the audit's settings). */
export function houseServerOf(team: string, options: AuditOptions): string {
  return options.houses.apiServerURL.replaceAll('{team}', team).replaceAll('{loopback}', houseLoopbackAddress(team));
}

/** Whether the project is the house's own AppProject: `vcluster-<team>` of a tenant that is a house. */
export function isHouseProject(projectName: string, tenant: { house: boolean; team: string } | undefined): boolean {
  return Boolean(tenant?.house) && projectName === houseArgoNameOf(tenant?.team ?? '');
}

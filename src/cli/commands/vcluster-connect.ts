import type { Tenant, TenantSpec } from '../../api/tenant.ts';
import { apiPath, type ResourceType } from '../../kube/api-path.ts';
import { KubeApiError, type KubeHttp } from '../../kube/http.ts';
import { houseAdminSecretName, houseNamespaceName } from '../../tenancy/names.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { readKubeconfigText, writeKubeconfigText } from './vcluster-file.ts';
import { houseOfTeam, isHouse, phaseOf, tenantsSeen } from './vcluster-houses.ts';
import { type HouseEntries, houseEntries, mergedKubeconfig } from './vcluster-kubeconfig.ts';

const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };

/** What `connect` wrote: the context's name, the house's address and the file. */
export interface Connected {
  team: string;
  context: string;
  server: string;
  file: string;
}

/**
 * Connects to one team's house, with the caller's own rights only: checks the tenant is a Ready house (when the
 * caller may list Tenants), reads the house's admin kubeconfig Secret and writes a `vcluster-<team>` context into
 * `file`, current-context untouched. The house e2e tests call this too.
 */
export async function connectHouse(http: KubeHttp, team: string, file: string): Promise<Connected> {
  const tenant = houseOfTeam(await tenantsSeen(http), team) ?? tenantOfTeam(team);
  const entries = await houseCredentials(http, tenant);
  writeKubeconfigText(file, mergedKubeconfig(readKubeconfigText(file), entries, file));
  return { team: tenant.spec.teamName, context: entries.name, server: entries.server, file };
}

/** What `connect-all` did: the houses connected, and each one it could not (with why) or left (not Ready). */
export interface ConnectedAll {
  connected: Connected[];
  failed: { team: string; reason: string }[];
  skipped: { team: string; reason: string }[];
}

/** Connects to every Ready house the caller can read, in one write of `file`; says which it could not. */
export async function connectAllHouses(http: KubeHttp, file: string): Promise<ConnectedAll> {
  const seen = await tenantsSeen(http);
  if (!seen.readable)
    throw new CliError(
      `you may not list Tenants (${seen.why}): connect-all is for platform admins; ` +
        'team members see their tenants in the portal',
      ExitCode.invalid,
    );
  const result: ConnectedAll = { connected: [], failed: [], skipped: [] };
  let text = readKubeconfigText(file);
  for (const tenant of seen.tenants.filter(isHouse)) {
    const team = tenant.spec.teamName;
    const phase = phaseOf(tenant);
    if (phase !== 'Ready') {
      result.skipped.push({ team, reason: `${phase}: not Ready` });
      continue;
    }
    try {
      const entries = await houseCredentials(http, tenant);
      text = mergedKubeconfig(text, entries, file);
      result.connected.push({ team, context: entries.name, server: entries.server, file });
    } catch (error) {
      result.failed.push({ team, reason: (error as Error).message });
    }
  }
  if (result.connected.length) writeKubeconfigText(file, text);
  return result;
}

/** The house's cluster and user from the Secret vCluster writes, read as the caller; errors say what to do. */
async function houseCredentials(http: KubeHttp, tenant: Tenant): Promise<HouseEntries> {
  const team = tenant.spec.teamName;
  const namespace = houseNamespaceName(tenant);
  const name = houseAdminSecretName(tenant);
  let secret: { data?: Record<string, string> };
  try {
    secret = await http.request({ method: 'GET', path: apiPath(secrets, { namespace, name }) });
  } catch (error) {
    throw secretError(error, team, `Secret ${name} in ${namespace}`);
  }
  const config = secret.data?.config;
  if (!config)
    throw new CliError(`${team}: Secret ${name} in ${namespace} has no kubeconfig (key config)`, ExitCode.invalid);
  try {
    return houseEntries(team, Buffer.from(config, 'base64').toString('utf8'));
  } catch (error) {
    throw new CliError(`${team}: ${(error as Error).message}`, ExitCode.invalid);
  }
}

function secretError(error: unknown, team: string, secret: string): CliError {
  if (error instanceof KubeApiError && (error.status === 403 || error.status === 401))
    return new CliError(
      `you may not read ${team}'s house credentials (${secret}: ${error.reason}): that admin certificate is for ` +
        'platform admins only. Team members reach their house with their own short-lived token from the portal: ' +
        `\`landlord vcluster connect ${team} --portal <portal URL>\` (or the kubeconfig download on its tenant page)`,
      ExitCode.invalid,
    );
  if (error instanceof KubeApiError && error.status === 404)
    return new CliError(
      `${team}: no house credentials yet (${secret} not found): vCluster writes them once the house runs; ` +
        '`landlord vcluster list` shows its phase',
      ExitCode.invalid,
    );
  return new CliError(`${team}: cannot read ${secret}: ${(error as Error).message}`, ExitCode.environment);
}

/** The names of a team's house without its Tenant (a caller who may not list Tenants): they derive from the team. */
function tenantOfTeam(team: string): Tenant {
  return {
    apiVersion: 'landlord.dev/v1alpha1',
    kind: 'Tenant',
    metadata: { name: team },
    // Only the team's name is read by the house's name builders.
    spec: { teamName: team, isolation: 'vcluster' } as TenantSpec,
  };
}

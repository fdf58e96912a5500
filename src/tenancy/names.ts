import type { Tenant } from '../api/tenant.ts';

/** The tenant's namespaces: the team's own first, then <team>-<suffix> for each additional one. */
export function tenantNamespaces(tenant: Tenant): string[] {
  const { teamName, additionalNamespaces = [] } = tenant.spec;
  return [teamName, ...additionalNamespaces.map((suffix) => `${teamName}-${suffix}`)];
}

/** Name of the tenant's AppProject in the host Argo CD (the article names it after the team). */
export function appProjectName(tenant: Tenant): string {
  return tenant.spec.teamName;
}

/** Name of the App-of-Apps Application that syncs the team's repository. */
export function initializerName(tenant: Tenant): string {
  return `application-initializer-${tenant.spec.teamName}`;
}

/** Name of the Argo CD repository Secret of the team's repository. */
export function repositorySecretName(tenant: Tenant): string {
  return `repo-${tenant.spec.teamName}`;
}

/**
 * The ServiceAccount Argo CD impersonates when it syncs the team's applications. It lives in Argo CD's namespace,
 * where the team can neither start pods nor ask for tokens, and holds exactly the team's rights.
 */
export function deployerServiceAccountName(tenant: Tenant): string {
  return `${tenant.spec.teamName}-deployer`;
}

/** The namespace a virtual-cluster tenant's vcluster will live in (not built yet; its name is held already). */
export function houseNamespaceName(tenant: Tenant): string {
  return `vcluster-${tenant.spec.teamName}`;
}

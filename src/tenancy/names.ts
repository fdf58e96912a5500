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

/** The host namespace a house's vCluster lives in: everything the house runs is synced into it. */
export function houseNamespaceName(tenant: Tenant): string {
  return `vcluster-${tenant.spec.teamName}`;
}

/**
 * The Helm release of a house's vCluster: the team's name, so the chart names the StatefulSet and Service
 * `<team>`, the admin kubeconfig Secret `vc-<team>` and the rendered configuration `vc-config-<team>`.
 */
export function houseReleaseName(tenant: Tenant): string {
  return tenant.spec.teamName;
}

/**
 * The house's Application, its AppProject in the host Argo CD and its cluster Secret (registration), all
 * `vcluster-<team>` as the article names them.
 */
export function houseArgoName(tenant: Tenant): string {
  return `vcluster-${tenant.spec.teamName}`;
}

/** The Secret vCluster writes with the house's admin kubeconfig (a long-lived certificate: nobody's to read). */
export function houseAdminSecretName(tenant: Tenant): string {
  return `vc-${houseReleaseName(tenant)}`;
}

/** The ServiceAccount in the house namespace the host Argo CD impersonates to install the vCluster chart. */
export const houseChartDeployerName = 'landlord-house-deployer';

/** The host Application installing the team's own Argo CD into its house (the reserved `argocd-` space). */
export function houseArgoCdApplicationName(tenant: Tenant): string {
  return `argocd-${tenant.spec.teamName}`;
}

/** The namespace inside a house its Argo CD runs in (upstream's cluster-install binds its roles there). */
export const houseArgoCdNamespace = 'argocd';

/** The App of Apps inside the house (the article's bootstrap.yaml): Landlord's, pointing at the team's repository. */
export function houseBootstrapApplicationName(tenant: Tenant): string {
  return `${tenant.spec.teamName}-apps`;
}

/** The house's OAuth client in the platform's central Dex: its Argo CD signs people in with it, and nothing else does. */
export function houseOidcClientId(tenant: Tenant): string {
  return `argocd-${tenant.spec.teamName}`;
}

/** The Secret in the house's `argocd` namespace holding its OIDC client secret: the only credential Landlord puts in a house. */
export const houseSsoSecretName = 'landlord-sso';

/** The host namespace where the operator leaves, per house, the credential the portal mints people's tokens with. */
export const houseAccessNamespace = 'landlord-house-access';

/** The Secret in houseAccessNamespace for one house: its API URL, CA and a short-lived token that can only mint tokens. */
export function houseAccessSecretName(tenant: Tenant): string {
  return `house-${tenant.spec.teamName}`;
}

/** Inside a house: the namespace of people's ServiceAccounts (the team's group entitlement is bound to it as a group). */
export const housePeopleNamespace = 'landlord-people';

/** Inside a house: the namespace of the portal's minting ServiceAccount (`landlord-portal`), outside the people's group. */
export const houseAccessInnerNamespace = 'landlord-access';

import type { Tenant } from '../../api/tenant.ts';
import { KubeApiError } from '../../kube/api-error.ts';
import { apiPath, type ResourceType } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import type { KubernetesObject } from '../../kube/object.ts';
import { resources } from '../../kube/resources.ts';
import { houseArgoCdServer } from '../../tenancy/house/argocd-ingress.ts';
import { buildHouseBootstrapApplication } from '../../tenancy/house/bootstrap-application.ts';
import { houseRepositorySecretName } from '../../tenancy/house/team-repository-secret.ts';
import { houseArgoCdNamespace, houseOidcClientId, houseSsoSecretName } from '../../tenancy/names.ts';
import { tenantLabel } from '../../tenancy/ownership.ts';
import type { ReconcileContext } from '../context.ts';
import type { HouseCredentials } from './house-credentials.ts';
import { houseHttp } from './house-http.ts';

const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
/** Ingresses inside a house (its Argo CD's). */
export const ingresses: ResourceType = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  plural: 'ingresses',
  namespaced: true,
};

/** One object Landlord writes inside a house for the team's Argo CD: its kind and name in `argocd`. */
export interface InsideObject {
  resource: ResourceType;
  name: string;
}

/** The Ingress of the house's Argo CD, as Landlord writes it inside. */
export const insideIngress: InsideObject = { resource: ingresses, name: houseArgoCdServer.name };

/**
 * Takes away what Landlord wrote inside the house for the team's Argo CD once the tenant no longer has one
 * (services.argocd turned off): the house's client in the identity provider (its secret signs nobody in any more),
 * the SSO Secret, the team repository's Secret, the bootstrap Application (no finalizer: the team's apps stay) and the Ingress. True once all is
 * gone; false while the house does not answer (looked at again).
 */
export async function withdrawHouseArgoCd(
  ctx: ReconcileContext,
  tenant: Tenant,
  server: string,
  credentials: HouseCredentials | undefined,
): Promise<boolean> {
  await ctx.oidcClients?.remove(houseOidcClientId(tenant));
  if (!credentials) return false;
  const http = houseHttp(server, credentials);
  try {
    const inside: InsideObject[] = [
      { resource: secrets, name: houseSsoSecretName },
      { resource: secrets, name: houseRepositorySecretName },
      { resource: resources.argoApplication, name: buildHouseBootstrapApplication(tenant, ctx.platform).metadata.name },
      insideIngress,
    ];
    for (const object of inside) await deleteInside(ctx, http, tenant, object);
    return true;
  } finally {
    http.close();
  }
}

/**
 * Deletes one object of the house's `argocd` namespace if it is Landlord's for this tenant (its tenant label; an
 * object of that name the team made itself is left alone), at the version read (a precondition on its UID).
 */
export async function deleteInside(ctx: ReconcileContext, http: KubeHttp, tenant: Tenant, object: InsideObject) {
  const path = apiPath(object.resource, { namespace: houseArgoCdNamespace, name: object.name });
  try {
    const live = await http.request<KubernetesObject>({ method: 'GET', path, timeoutMs: 10_000 });
    if (live.metadata?.labels?.[tenantLabel] !== tenant.metadata.name) return;
    const preconditions = { uid: live.metadata.uid };
    await http.request({ method: 'DELETE', path, body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions } });
  } catch (error) {
    // Gone already is what was asked; changed since read (409) is read again at the next pass.
    if (error instanceof KubeApiError && error.status === 404) return;
    throw error;
  }
  ctx.countWrite('house-argocd');
  ctx.log(
    `[operator] tenant ${tenant.metadata.name}: removed ${object.resource.kind} ${houseArgoCdNamespace}/${object.name} inside the house (no longer wanted)`,
  );
}

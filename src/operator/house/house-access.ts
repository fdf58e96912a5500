import type { Tenant } from '../../api/tenant.ts';
import { KubeApiError } from '../../kube/api-error.ts';
import { apiPath, type ResourceType } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { resources } from '../../kube/resources.ts';
import {
  buildHouseAccessObjects,
  houseAccessData,
  type HouseAccessCredential,
  houseMinterName,
  houseMinterTokenSeconds,
  minterNeedsRenewal,
  readHouseAccessData,
} from '../../tenancy/house/access.ts';
import { houseServerURL } from '../../tenancy/house-address.ts';
import { tenantLabels } from '../../tenancy/ownership.ts';
import { houseAccessInnerNamespace, houseAccessNamespace, houseAccessSecretName } from '../../tenancy/names.ts';
import type { ReconcileContext } from '../context.ts';
import { withOwnerReference } from '../owner-reference.ts';
import type { HouseCredentials } from './house-credentials.ts';
import { houseHttp } from './house-http.ts';

const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };

/** The field manager of what the operator keeps for people's access, in the house and on the host. */
export const houseAccessManager = 'landlord-house-access';

/** Inside a house, the kinds buildHouseAccessObjects holds (paths only; the house serves them all). */
const insideKinds: Record<string, ResourceType> = {
  Namespace: resources.namespace,
  ServiceAccount: resources.serviceAccount,
  RoleBinding: resources.roleBinding,
  Role: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles', namespaced: true },
  ClusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
};

/**
 * Once the house answers: keeps the portal's minting credential for it on the host (Secret
 * landlord-house-access/house-<team>: server, CA, a short-lived token of `landlord-portal` inside the house), minting
 * a new one when there is none, the house's address or CA changed, or less than a fifth of its life is left (the
 * house is looked at every 30 s while up). The objects inside the house are applied with each mint. Returns whether it
 * wrote; a failure is logged (never with the token) and tried again on the next pass.
 */
export async function holdHouseAccess(
  ctx: ReconcileContext,
  tenant: Tenant,
  credentials: HouseCredentials,
): Promise<boolean> {
  try {
    return await renewHouseAccess(ctx, tenant, credentials);
  } catch (error) {
    ctx.log(
      `[operator] tenant ${tenant.metadata.name}: the portal's access to the house not renewed: ${(error as Error).message}`,
    );
    return false;
  }
}

async function renewHouseAccess(ctx: ReconcileContext, tenant: Tenant, credentials: HouseCredentials) {
  const path = apiPath(secrets, { namespace: houseAccessNamespace, name: houseAccessSecretName(tenant) });
  const live = await readSecret(ctx.http, path);
  const server = houseServerURL(tenant, ctx.platform);
  const certificateAuthority = Buffer.from(credentials.certificateAuthority, 'base64').toString('utf8');
  if (live && !minterNeedsRenewal(readHouseAccessData(live.data), { server, certificateAuthority }, Date.now()))
    return false;
  const house = houseHttp(server, credentials);
  let minted: { token: string; expiresAt: string };
  try {
    for (const object of buildHouseAccessObjects()) {
      const kind = insideKinds[object.kind];
      if (!kind) throw new Error(`house access: no path known for kind ${object.kind}`);
      await house.request({
        method: 'PATCH',
        path: apiPath(kind, { namespace: object.metadata.namespace, name: object.metadata.name }),
        query: { fieldManager: houseAccessManager, force: 'true' },
        body: object,
        contentType: 'application/apply-patch+yaml',
        timeoutMs: 10_000,
      });
    }
    minted = await mintMinterToken(house);
  } finally {
    house.close();
  }
  const credential: HouseAccessCredential = { server, certificateAuthority, ...minted };
  await writeSecret(ctx, tenant, path, live !== undefined, credential);
  // Counted with the house's other credential writes (its registration).
  ctx.countWrite('registration');
  ctx.log(
    `[operator] tenant ${tenant.metadata.name}: the portal's minting credential for the house renewed (Secret ${houseAccessNamespace}/${houseAccessSecretName(tenant)}, until ${minted.expiresAt})`,
  );
  return true;
}

/** A TokenRequest for the minter inside the house: bound to its ServiceAccount, expiring. */
async function mintMinterToken(house: KubeHttp): Promise<{ token: string; expiresAt: string }> {
  const answer = await house.request<{ status: { token: string; expirationTimestamp: string } }>({
    method: 'POST',
    path: apiPath(resources.serviceAccount, {
      namespace: houseAccessInnerNamespace,
      name: houseMinterName,
      subresource: 'token',
    }),
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: houseMinterTokenSeconds },
    },
    timeoutMs: 10_000,
  });
  return { token: answer.status.token, expiresAt: answer.status.expirationTimestamp };
}

async function readSecret(http: KubeHttp, path: string) {
  try {
    return await http.request<{ data?: Record<string, string> }>({ method: 'GET', path, timeoutMs: 10_000 });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw new Error(`reading Secret ${houseAccessNamespace}/${path.split('/').pop()} failed`, { cause: error });
  }
}

/** Creates or replaces the host Secret, owned by the Tenant (it goes with it), under the operator's own manager. */
async function writeSecret(
  ctx: ReconcileContext,
  tenant: Tenant,
  path: string,
  exists: boolean,
  credential: HouseAccessCredential,
) {
  const secret = withOwnerReference(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: houseAccessSecretName(tenant),
        namespace: houseAccessNamespace,
        labels: tenantLabels(tenant),
      },
      type: 'Opaque',
      data: houseAccessData(credential),
    },
    tenant,
  );
  await ctx.http.request({
    method: exists ? 'PUT' : 'POST',
    path: exists ? path : apiPath(secrets, { namespace: houseAccessNamespace }),
    query: { fieldManager: houseAccessManager },
    body: secret,
    timeoutMs: 10_000,
  });
}

/** Deletes the house's minting credential on the host (decommission); gone already is fine. */
export async function removeHouseAccess(ctx: ReconcileContext, tenant: Tenant): Promise<void> {
  const path = apiPath(secrets, { namespace: houseAccessNamespace, name: houseAccessSecretName(tenant) });
  try {
    await ctx.http.request({ method: 'DELETE', path, timeoutMs: 10_000 });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) throw error;
  }
}

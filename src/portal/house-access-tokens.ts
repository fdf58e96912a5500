import type { Tenant } from '../api/tenant.ts';
import { apiPath, type ResourceType } from '../kube/api-path.ts';
import { KubeApiError, KubeHttp } from '../kube/http.ts';
import type { KubernetesObject } from '../kube/object.ts';
import { resources } from '../kube/resources.ts';
import { readHouseAccessData } from '../tenancy/house/access.ts';
import { houseAccessNamespace, houseAccessSecretName, housePeopleNamespace } from '../tenancy/names.ts';
import {
  buildPersonServiceAccount,
  directoryUsernameAnnotation,
  type Person,
  personServiceAccountName,
  personTenantLabel,
} from '../tenancy/person-access.ts';
import type { AccessToken } from './access-tokens.ts';
import { PortalError } from './errors.ts';

const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };

/** A person's token inside a house, with the house's address and CA (PEM) for their kubeconfig. */
export interface HouseAccessToken extends AccessToken {
  server: string;
  certificateAuthority: string;
}

/** Issues a person's short-lived token inside a house, and takes their identity there away. */
export interface HouseAccessIssuer {
  issue(tenant: Tenant, person: Person): Promise<HouseAccessToken>;
  /** Deletes the person's ServiceAccount inside the house: every token they hold there stops working at once. */
  revoke(tenant: Tenant, person: Person): Promise<void>;
}

/**
 * People's tokens inside houses, minted with the operator's per-house credential (Secret
 * landlord-house-access/house-<team>, read as the portal on the host): the person's ServiceAccount in the house's
 * `landlord-people` (the team's entitlement is bound to that namespace's group) and a TokenRequest for it. The portal
 * never reads `vc-<team>`; what it holds of a house can create and delete ServiceAccounts and create their tokens
 * there, nothing else.
 */
export function houseAccessIssuer(host: KubeHttp, lifetimeSeconds: number): HouseAccessIssuer {
  return {
    async issue(tenant, person) {
      const credential = await readMinter(host, tenant);
      const house = minterClient(credential);
      try {
        const account = buildPersonServiceAccount(tenant, person);
        await ensurePersonAccount(house, account);
        const answer = await house.request<{ status: { token: string; expirationTimestamp: string } }>({
          method: 'POST',
          path: apiPath(resources.serviceAccount, {
            namespace: housePeopleNamespace,
            name: account.metadata.name,
            subresource: 'token',
          }),
          body: {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: { expirationSeconds: lifetimeSeconds },
          },
          timeoutMs: 10_000,
        });
        return {
          token: answer.status.token,
          expiresAt: answer.status.expirationTimestamp,
          identity: `system:serviceaccount:${housePeopleNamespace}:${personServiceAccountName(tenant, person)}`,
          server: credential.server,
          certificateAuthority: credential.certificateAuthority,
        };
      } catch (error) {
        if (error instanceof KubeApiError && (error.status === 401 || error.status === 403))
          throw new PortalError(
            503,
            'house-access',
            `the house of ${tenant.metadata.name} refused the portal's credential (${error.status}); the operator renews it, try again shortly`,
          );
        throw error;
      } finally {
        house.close();
      }
    },
    async revoke(tenant, person) {
      const house = minterClient(await readMinter(host, tenant));
      try {
        const name = personServiceAccountName(tenant, person);
        const path = apiPath(resources.serviceAccount, { namespace: housePeopleNamespace, name });
        await house.request({ method: 'DELETE', path, timeoutMs: 10_000 }).catch((error: unknown) => {
          if (!(error instanceof KubeApiError && error.status === 404)) throw error;
        });
      } finally {
        house.close();
      }
    },
  };
}

/** A client of the house acting as the operator's minter (its short-lived token, the house's CA). */
function minterClient(credential: { server: string; certificateAuthority: string; token: string }): KubeHttp {
  return new KubeHttp({
    server: credential.server,
    ca: Buffer.from(credential.certificateAuthority, 'utf8'),
    insecureSkipTLSVerify: false,
    authHeaders: () => Promise.resolve({ Authorization: `Bearer ${credential.token}` }),
  });
}

/** The operator's minting credential for the house, or a 409 while there is none yet. */
async function readMinter(host: KubeHttp, tenant: Tenant) {
  const name = houseAccessSecretName(tenant);
  let secret: { data?: Record<string, string> };
  try {
    secret = await host.request({
      method: 'GET',
      path: apiPath(secrets, { namespace: houseAccessNamespace, name }),
      timeoutMs: 10_000,
    });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) throw notYet(tenant);
    throw error;
  }
  const credential = readHouseAccessData(secret.data);
  if (!credential || Date.parse(credential.expiresAt) <= Date.now()) throw notYet(tenant);
  return credential;
}

const notYet = (tenant: Tenant) =>
  new PortalError(
    409,
    'house-access-pending',
    `${tenant.metadata.name}'s house has no access for people yet: the operator gives it once the house answers; try again shortly`,
  );

/**
 * Creates the person's ServiceAccount in the house, or checks the one there is theirs: same directory username and
 * tenant (a dotted tenant name could read `<tenant>.<person>` two ways).
 */
async function ensurePersonAccount(house: KubeHttp, account: ReturnType<typeof buildPersonServiceAccount>) {
  try {
    await house.request({
      method: 'POST',
      path: apiPath(resources.serviceAccount, { namespace: housePeopleNamespace }),
      body: account,
      timeoutMs: 10_000,
    });
    return;
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 409)) throw error;
  }
  const found = await house.request<KubernetesObject>({
    method: 'GET',
    path: apiPath(resources.serviceAccount, { namespace: housePeopleNamespace, name: account.metadata.name }),
    timeoutMs: 10_000,
  });
  const sameUser =
    found.metadata?.annotations?.[directoryUsernameAnnotation] ===
    account.metadata.annotations?.[directoryUsernameAnnotation];
  const sameTenant = found.metadata?.labels?.[personTenantLabel] === account.metadata.labels?.[personTenantLabel];
  if (!sameUser || !sameTenant)
    throw new PortalError(
      409,
      'identity-taken',
      `ServiceAccount ${housePeopleNamespace}/${account.metadata.name} in the house belongs to another person; a member of the team changed it there`,
    );
}

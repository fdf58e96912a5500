import type { Tenant } from '../api/tenant.ts';
import { apiPath } from '../kube/api-path.ts';
import { KubeApiError, type KubeHttp } from '../kube/http.ts';
import type { KubernetesObject } from '../kube/object.ts';
import { resources } from '../kube/resources.ts';
import type { Manifest } from '../tenancy/manifest.ts';
import {
  buildPersonRoleBindings,
  buildPersonServiceAccount,
  directoryUsernameAnnotation,
  peopleNamespace,
  type Person,
  personIdentity,
  personServiceAccountName,
  personTenantLabel,
} from '../tenancy/person-access.ts';

/** A token the API server issued for a person's ServiceAccount, who it names, and when it stops working. */
export interface AccessToken {
  token: string;
  expiresAt: string;
  /** The user the API server knows the token as (`kubectl auth whoami`). */
  identity: string;
}

/** Issues short-lived tokens of each person's own identity in a tenant, and takes identities back. */
export interface AccessTokenIssuer {
  issue(tenant: Tenant, person: Person): Promise<AccessToken>;
  /** Deletes the person's ServiceAccounts for these tenants: every token they hold for them stops working. */
  revoke(tenants: Tenant[], person: Person): Promise<void>;
  /** Deletes every person's ServiceAccount for the tenant (it is being decommissioned). */
  revokeTenant(tenant: Tenant): Promise<void>;
}

type Binding = KubernetesObject & { roleRef?: unknown; subjects?: unknown };

/**
 * One ServiceAccount per person and tenant in the people namespace, bound to the team's role in each tenant
 * namespace, and TokenRequest for it: bound, expiring tokens that die with their ServiceAccount and are never
 * stored in a Secret. The API server refuses lifetimes under 10 minutes.
 */
export function personAccessIssuer(http: KubeHttp, lifetimeSeconds: number): AccessTokenIssuer {
  const create = (manifest: Manifest, resource: typeof resources.serviceAccount | typeof resources.roleBinding) =>
    http
      .request({ method: 'POST', path: apiPath(resource, { namespace: manifest.metadata.namespace }), body: manifest })
      .then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof KubeApiError && error.status === 409) return 'exists' as const;
          throw error;
        },
      );
  const target = (manifest: Manifest) => ({ namespace: manifest.metadata.namespace, name: manifest.metadata.name });

  async function ensureServiceAccount(manifest: Manifest): Promise<void> {
    if ((await create(manifest, resources.serviceAccount)) !== 'exists') return;
    const found = await http.request<KubernetesObject>({
      method: 'GET',
      path: apiPath(resources.serviceAccount, target(manifest)),
    });
    // Tenant names may hold dots: `<tenant>.<person>` could be read two ways, so the labels must agree too.
    const username = found.metadata?.annotations?.[directoryUsernameAnnotation];
    const tenant = found.metadata?.labels?.[personTenantLabel];
    if (
      username !== manifest.metadata.annotations?.[directoryUsernameAnnotation] ||
      tenant !== manifest.metadata.labels?.[personTenantLabel]
    ) {
      throw new Error(
        `ServiceAccount ${peopleNamespace}/${manifest.metadata.name} belongs to another person or tenant`,
      );
    }
  }

  // A binding found with other rights or subjects (a member's squat of the name) is replaced, never trusted.
  async function ensureBinding(manifest: Manifest): Promise<void> {
    if ((await create(manifest, resources.roleBinding)) !== 'exists') return;
    const path = apiPath(resources.roleBinding, target(manifest));
    const found = await http.request<Binding>({ method: 'GET', path });
    const same = (field: 'roleRef' | 'subjects') => JSON.stringify(found[field]) === JSON.stringify(manifest[field]);
    if (same('roleRef') && same('subjects')) return;
    const preconditions = { uid: found.metadata?.uid };
    await http.request({ method: 'DELETE', path, body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions } });
    await create(manifest, resources.roleBinding);
  }

  const ignoreGone = (error: unknown) => {
    if (!(error instanceof KubeApiError && error.status === 404)) throw error;
  };

  return {
    async issue(tenant, person) {
      await ensureServiceAccount(buildPersonServiceAccount(tenant, person));
      for (const binding of buildPersonRoleBindings(tenant, person)) await ensureBinding(binding);
      const answer = await http.request<{ status: { token: string; expirationTimestamp: string } }>({
        method: 'POST',
        path: apiPath(resources.serviceAccount, {
          namespace: peopleNamespace,
          name: personServiceAccountName(tenant, person),
          subresource: 'token',
        }),
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: lifetimeSeconds },
        },
      });
      return {
        token: answer.status.token,
        expiresAt: answer.status.expirationTimestamp,
        identity: personIdentity(tenant, person),
      };
    },
    async revokeTenant(tenant) {
      await http.request({
        method: 'DELETE',
        path: apiPath(resources.serviceAccount, { namespace: peopleNamespace }),
        query: { labelSelector: `${personTenantLabel}=${tenant.metadata.name}` },
      });
    },
    async revoke(tenants, person) {
      for (const tenant of tenants) {
        const account = buildPersonServiceAccount(tenant, person);
        await http
          .request({ method: 'DELETE', path: apiPath(resources.serviceAccount, target(account)) })
          .catch(ignoreGone);
        for (const binding of buildPersonRoleBindings(tenant, person)) {
          await http
            .request({ method: 'DELETE', path: apiPath(resources.roleBinding, target(binding)) })
            .catch(ignoreGone);
        }
      }
    },
  };
}

import type { KubeHttp } from '../kube/http.ts';
import { accessServiceAccountName } from '../tenancy/names.ts';
import { apiPath } from '../kube/api-path.ts';
import { resources } from '../kube/resources.ts';

/** A token the API server issued for a tenant's access ServiceAccount, and when it stops working. */
export interface AccessToken {
  token: string;
  expiresAt: string;
}

/** Issues short-lived tokens for the access ServiceAccount of a tenant's namespace. */
export interface AccessTokenIssuer {
  issue(namespace: string): Promise<AccessToken>;
}

/**
 * TokenRequest against the API server: bound, expiring tokens that are never stored in a Secret. The API
 * server refuses lifetimes under 10 minutes.
 */
export function tokenRequestIssuer(http: KubeHttp, lifetimeSeconds: number): AccessTokenIssuer {
  return {
    async issue(namespace) {
      const answer = await http.request<{ status: { token: string; expirationTimestamp: string } }>({
        method: 'POST',
        path: apiPath(resources.serviceAccount, { namespace, name: accessServiceAccountName, subresource: 'token' }),
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: lifetimeSeconds },
        },
      });
      return { token: answer.status.token, expiresAt: answer.status.expirationTimestamp };
    },
  };
}

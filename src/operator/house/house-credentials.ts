import type { Tenant } from '../../api/tenant.ts';
import { KubeApiError } from '../../kube/api-error.ts';
import { apiPath, type ResourceType } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { houseAdminSecretName, houseNamespaceName } from '../../tenancy/names.ts';

const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };

/** The house's admin credentials as vCluster writes them (base64, as in the Secret): never logged, never in status. */
export interface HouseCredentials {
  certificateAuthority: string;
  clientCertificate: string;
  clientKey: string;
}

/**
 * Reads `vc-<team>` in the house namespace (the operator may read Secrets there only: landlord-house-registrar);
 * undefined while vCluster has not written it. Errors name the Secret, never its content.
 */
export async function readHouseCredentials(http: KubeHttp, tenant: Tenant): Promise<HouseCredentials | undefined> {
  const path = apiPath(secrets, { namespace: houseNamespaceName(tenant), name: houseAdminSecretName(tenant) });
  let secret: { data?: Record<string, string> };
  try {
    secret = await http.request({ method: 'GET', path, timeoutMs: 10_000 });
  } catch (error) {
    if (error instanceof KubeApiError && (error.status === 404 || error.status === 403)) return undefined;
    throw new Error(`reading Secret ${houseNamespaceName(tenant)}/${houseAdminSecretName(tenant)} failed`, {
      cause: error,
    });
  }
  const data = secret.data ?? {};
  const [ca, cert, key] = [data['certificate-authority'], data['client-certificate'], data['client-key']];
  if (!ca || !cert || !key) return undefined;
  return { certificateAuthority: ca, clientCertificate: cert, clientKey: key };
}

/** The same Secret's path, for the watch that follows credential changes. */
export function houseCredentialsPath(tenant: Tenant): string {
  return apiPath(secrets, { namespace: houseNamespaceName(tenant) });
}

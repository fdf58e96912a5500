import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { apiPath, type ResourceType } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { houseArgoName } from '../../tenancy/names.ts';
import type { WriteCounter } from '../applier.ts';
import type { HouseCredentials } from './house-credentials.ts';

const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };

/** The field manager of the registration's credentials: the applier's `landlord` never owns them, so never drops them. */
const registrationManager = 'landlord-registration';

/** Argo CD's `config` of a cluster Secret: the house's client certificate, checked against its CA. */
function clusterConfig(credentials: HouseCredentials): string {
  const tlsClientConfig = {
    caData: credentials.certificateAuthority,
    certData: credentials.clientCertificate,
    keyData: credentials.clientKey,
  };
  return Buffer.from(JSON.stringify({ tlsClientConfig })).toString('base64');
}

/**
 * Puts the house's credentials into its cluster Secret (built without them by the Argo CD concern), only when they
 * differ from what is there: a change of vc-<team> follows, an unchanged one costs a read. Returns whether it wrote.
 * The credentials travel in the request body only: no log line, event, status or annotation carries them.
 */
export async function registerHouse(
  http: KubeHttp,
  tenant: Tenant,
  platform: PlatformConfig,
  credentials: HouseCredentials,
  countWrite: WriteCounter,
): Promise<boolean> {
  const path = apiPath(secrets, { namespace: platform.argocd.namespace, name: houseArgoName(tenant) });
  const live = await http.request<{ data?: Record<string, string> }>({ method: 'GET', path, timeoutMs: 10_000 });
  const config = clusterConfig(credentials);
  if (live.data?.config === config) return false;
  await http.request({
    method: 'PATCH',
    path,
    query: { fieldManager: registrationManager },
    body: { data: { config } },
    contentType: 'application/merge-patch+json',
    timeoutMs: 10_000,
  });
  countWrite('registration');
  return true;
}

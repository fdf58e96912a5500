import { stringify } from 'yaml';

/** How users reach the cluster's API server: the address and the CA that signs its certificate. */
export interface ClusterEndpoint {
  server: string;
  certificateAuthorityData?: string;
}

/** A kubeconfig for one tenant namespace with a bearer token: one cluster, one user, one context. */
export function buildKubeconfig(options: {
  tenant: string;
  namespace: string;
  endpoint: ClusterEndpoint;
  token: string;
}): string {
  const name = `landlord-${options.tenant}`;
  const cluster: Record<string, string> = { server: options.endpoint.server };
  if (options.endpoint.certificateAuthorityData) {
    cluster['certificate-authority-data'] = options.endpoint.certificateAuthorityData;
  }
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user: { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: options.namespace } }],
    'current-context': name,
    preferences: {},
  });
}

/**
 * A kubeconfig for a house with the person's own token inside it: one cluster, user and context, all
 * `vcluster-<team>` (the name `landlord vcluster connect` writes), the house's CA inline.
 */
export function buildHouseKubeconfig(options: {
  team: string;
  server: string;
  /** PEM of the house's CA. */
  certificateAuthority: string;
  token: string;
}): string {
  const name = `vcluster-${options.team}`;
  const cluster = {
    server: options.server,
    'certificate-authority-data': Buffer.from(options.certificateAuthority, 'utf8').toString('base64'),
  };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user: { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

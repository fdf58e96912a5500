import { KubeHttp } from '../../kube/http.ts';
import type { HouseCredentials } from './house-credentials.ts';

/**
 * A client of a house's API server with its admin credentials (vc-<team>): what the operator writes inside a house
 * with (its Argo CD's SSO Secret, the bootstrap Application, the portal's minting identity). Close it after use.
 */
export function houseHttp(server: string, credentials: HouseCredentials): KubeHttp {
  const decode = (value: string) => Buffer.from(value, 'base64');
  const certificate = { cert: decode(credentials.clientCertificate), key: decode(credentials.clientKey) };
  return new KubeHttp({
    server,
    ca: decode(credentials.certificateAuthority),
    insecureSkipTLSVerify: false,
    authHeaders: () => Promise.resolve({}),
    clientCertificate: () => Promise.resolve(certificate),
  });
}

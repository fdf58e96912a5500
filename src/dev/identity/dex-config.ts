import { stringify } from 'yaml';
import { dexBindDN, type Directory, groupsDN, peopleDN } from './directory.ts';

/** An OAuth client Dex knows: Argo CD, the portal. */
export interface DexClient {
  id: string;
  name: string;
  secret: string;
  redirectURIs: string[];
}

/** Dex's issuer URL on its port: what every token names and every client trusts. */
export const dexIssuer = (port: number) => `http://127.0.0.1:${port}/dex`;

/** Dex's gRPC API (its clients, for the operator): on loopback, mutual TLS with the environment's own CA. */
export interface DexApiListener {
  port: number;
  /** Dex's certificate and key, and the CA whose clients alone it serves. */
  tlsCert: string;
  tlsKey: string;
  tlsClientCA: string;
}

/**
 * Dex's configuration: in-memory storage (no cgo database), loopback only, the LDAP connector searching
 * people and groupOfNames groups, and the password grant so scripts and tests can sign in without a browser.
 * A sign-in lasts `sessionMinutes` (the platform's sso.sessionMinutes): the ID token (Argo CD's session token)
 * expires then, and no refresh token outlives it, however often it is used. The gRPC API serves only a caller
 * with a client certificate of the environment's CA (the operator); memory storage forgets the clients it made
 * when Dex restarts, and the operator's next pass over each house makes them again.
 */
export function dexConfig(options: {
  port: number;
  ldapPort: number;
  directory: Directory;
  bindPassword: string;
  clients: DexClient[];
  sessionMinutes: number;
  api: DexApiListener;
}): string {
  const { directory } = options;
  return stringify({
    issuer: dexIssuer(options.port),
    storage: { type: 'memory' },
    web: { http: `127.0.0.1:${options.port}` },
    grpc: {
      addr: `127.0.0.1:${options.api.port}`,
      tlsCert: options.api.tlsCert,
      tlsKey: options.api.tlsKey,
      tlsClientCA: options.api.tlsClientCA,
      tlsMinVersion: '1.3',
      reflection: false,
    },
    logger: { level: 'info', format: 'json' },
    oauth2: { skipApprovalScreen: true, passwordConnector: 'ldap', responseTypes: ['code'] },
    expiry: {
      idTokens: `${options.sessionMinutes}m`,
      refreshTokens: {
        validIfNotUsedFor: `${options.sessionMinutes}m`,
        absoluteLifetime: `${options.sessionMinutes}m`,
      },
    },
    staticClients: options.clients,
    connectors: [
      {
        type: 'ldap',
        id: 'ldap',
        name: 'FinanceCore directory',
        config: {
          host: `127.0.0.1:${options.ldapPort}`,
          insecureNoSSL: true,
          bindDN: dexBindDN(directory),
          bindPW: options.bindPassword,
          usernamePrompt: 'Username',
          userSearch: {
            baseDN: peopleDN(directory),
            filter: '(objectClass=inetOrgPerson)',
            username: 'uid',
            idAttr: 'uid',
            emailAttr: 'mail',
            nameAttr: 'cn',
            preferredUsernameAttr: 'uid',
          },
          groupSearch: {
            baseDN: groupsDN(directory),
            filter: '(objectClass=groupOfNames)',
            userMatchers: [{ userAttr: 'DN', groupAttr: 'member' }],
            nameAttr: 'cn',
          },
        },
      },
    ],
  });
}

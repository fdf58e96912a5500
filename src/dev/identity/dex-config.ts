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

/**
 * Dex's configuration: in-memory storage (no cgo database), loopback only, the LDAP connector searching
 * people and groupOfNames groups, and the password grant so scripts and tests can sign in without a browser.
 * A sign-in lasts `sessionMinutes` (the platform's sso.sessionMinutes): the ID token (Argo CD's session token)
 * expires then, and no refresh token outlives it, however often it is used.
 */
export function dexConfig(options: {
  port: number;
  ldapPort: number;
  directory: Directory;
  bindPassword: string;
  clients: DexClient[];
  sessionMinutes: number;
}): string {
  const { directory } = options;
  return stringify({
    issuer: dexIssuer(options.port),
    storage: { type: 'memory' },
    web: { http: `127.0.0.1:${options.port}` },
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

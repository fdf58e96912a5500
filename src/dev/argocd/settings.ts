import { stringify } from 'yaml';
import { argoCdWebhookSettings } from '../../tenancy/argocd-webhook-settings.ts';
import type { Manifest } from '../../tenancy/manifest.ts';

/** A local Argo CD user standing in for a directory user until SSO (Dex) arrives: a name and its groups. */
export interface LocalUser {
  name: string;
  groups: string[];
}

/** What the local Argo CD's settings depend on. */
export interface ArgoCdSettingsInput {
  namespace: string;
  /** The URL people and the CLI reach the API server at. */
  url: string;
  users: LocalUser[];
  /**
   * Single sign-on through the directory's OIDC provider (Dex): groups come from the directory; a session ends
   * `sessionMinutes` after sign-in.
   */
  sso?: { issuer: string; clientID: string; sessionMinutes: number };
}

/** The key of argocd-secret holding the OIDC client secret ($-referenced from argocd-cm). */
export const oidcSecretKey = 'oidc.dex.clientSecret';

/** Argo CD only reads ConfigMaps and Secrets carrying this label. */
const partOfArgoCd = { 'app.kubernetes.io/part-of': 'argocd' };

/**
 * argocd-cm: the URL, and one local account per user (API keys and login), so people and tests can act as a
 * team member. Passwords are not set here; tokens are issued by the admin. Syncs run as each project's
 * destination ServiceAccount (sync impersonation, enforced by default: no match, no sync), and no Helm values
 * file is fetched from a URL (only files of the Application's own, permitted sources).
 */
export function buildArgoCdConfigMap(input: ArgoCdSettingsInput): Manifest {
  const accounts = Object.fromEntries(input.users.map((user) => [`accounts.${user.name}`, 'apiKey, login']));
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-cm', namespace: input.namespace, labels: partOfArgoCd },
    data: {
      url: input.url,
      'admin.enabled': 'true',
      'users.anonymous.enabled': 'false',
      'application.sync.impersonation.enabled': 'true',
      'helm.valuesFileSchemes': '',
      ...accounts,
      ...(input.sso
        ? {
            // Argo CD v3 refreshes an SSO session's ID token from Dex while its cache entry lives: this long
            // after sign-in (default 24h). It bounds local users' sessions too.
            'users.session.duration': `${input.sso.sessionMinutes}m`,
            'oidc.config': stringify({
              name: 'FinanceCore SSO',
              issuer: input.sso.issuer,
              clientID: input.sso.clientID,
              clientSecret: `$${oidcSecretKey}`,
              requestedScopes: ['openid', 'profile', 'email', 'groups'],
            }),
          }
        : {}),
    },
  };
}

/**
 * argocd-rbac-cm: nothing allowed by default (a team's rights come only from its AppProject role), each local
 * user a member of its groups, the way the directory's groups reach Argo CD through SSO.
 */
export function buildArgoCdRbacConfigMap(input: ArgoCdSettingsInput): Manifest {
  const memberships = input.users.flatMap((user) => user.groups.map((group) => `g, ${user.name}, ${group}`));
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'argocd-rbac-cm', namespace: input.namespace, labels: partOfArgoCd },
    data: { 'policy.default': '', 'policy.csv': memberships.join('\n'), scopes: '[groups]' },
  };
}

/** argocd-redis: the cache's password, read by Argo CD's admin commands (the components get it from REDIS_PASSWORD). */
export function buildRedisSecret(namespace: string, password: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'argocd-redis', namespace, labels: partOfArgoCd },
    type: 'Opaque',
    stringData: { auth: password },
  };
}

/**
 * argocd-secret, with only the OIDC client secret and the forge's webhook secret under every provider's key (without
 * one Argo CD would take any unsigned push as a reason to refresh): Argo CD fills in its signing key and the admin
 * password itself (the password also goes to argocd-initial-admin-secret), so Landlord never holds them.
 */
export function buildArgoCdSecret(
  namespace: string,
  secrets: { oidcClientSecret?: string; webhookSecret?: string } = {},
): Manifest {
  const webhook = secrets.webhookSecret;
  const data = {
    ...(secrets.oidcClientSecret ? { [oidcSecretKey]: secrets.oidcClientSecret } : {}),
    ...(webhook ? argoCdWebhookSettings(webhook) : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'argocd-secret', namespace, labels: partOfArgoCd },
    type: 'Opaque',
    ...(Object.keys(data).length ? { stringData: data } : {}),
  };
}

import type { OidcClientRequest } from './oidc-client-registry.ts';

/** A client as the identity provider holds it (its secret aside). */
export interface StoredOidcClient {
  name: string;
  redirectURIs: readonly string[];
  /** Other clients allowed to mint tokens for this one. */
  trustedPeers: readonly string[];
  /** Whether it has no secret. */
  public: boolean;
  hasSecret: boolean;
}

/**
 * What makes the stored client the requested one: nothing; an update of its redirect URIs and name; or, when it
 * has a shape Landlord never gives (public, trusted peers, no secret: an update cannot take those back), a new one.
 */
export function oidcClientChange(stored: StoredOidcClient, wanted: OidcClientRequest): 'none' | 'update' | 'recreate' {
  if (stored.public || stored.trustedPeers.length > 0 || !stored.hasSecret) return 'recreate';
  const same = sameSet(stored.redirectURIs, wanted.redirectURIs) && stored.name === wanted.name;
  return same ? 'none' : 'update';
}

/** Why the request cannot be made, naming the field and the value, or undefined. */
export function oidcClientRequestProblem(client: OidcClientRequest): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(client.id))
    return `OIDC client id ${JSON.stringify(client.id)} is not allowed; use letters, digits, '.', '_' and '-' (at most 253)`;
  // Dex keeps the old name when given an empty one: an empty name could never be reached.
  if (client.name.trim() === '') return `OIDC client ${client.id}: name is empty; give the name its sign-in page shows`;
  if (client.redirectURIs.length === 0)
    return `OIDC client ${client.id}: redirectURIs is empty; give the one callback a sign-in may return to`;
  for (const uri of client.redirectURIs) {
    if (!isCallbackURL(uri))
      return `OIDC client ${client.id}: redirect URI ${JSON.stringify(uri)} is not allowed; use an absolute http or https URL without a fragment`;
  }
  return undefined;
}

function isCallbackURL(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '' && !value.includes('#');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

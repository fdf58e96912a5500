/** A signed-in person, as the portal knows them: from the ID token Dex issued over the directory. */
export interface PortalUser {
  /** The OIDC subject: stable, unique per person and connector. */
  subject: string;
  username: string;
  email: string;
  name: string;
  /** Directory groups: what every authorization decision rests on. */
  groups: string[];
}

/** The user from ID token claims; refuses a token without a subject or an email. */
export function userFromClaims(claims: Record<string, unknown>): PortalUser {
  const text = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : '');
  if (!text('sub') || !text('email')) throw new Error('the ID token has no subject or email');
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
  return {
    subject: text('sub'),
    username: text('preferred_username') || text('email'),
    email: text('email'),
    name: text('name') || text('email'),
    groups,
  };
}

import * as client from 'openid-client';

/** The portal's OpenID Connect client of the directory's provider (Dex). */
export interface OidcSettings {
  issuer: string;
  clientID: string;
  clientSecret: string;
  /** Where the provider sends the browser back: <portal>/auth/callback. */
  redirectURI: string;
}

/** What the login request remembers between the redirect to the provider and the callback. */
export interface PendingLogin {
  codeVerifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

/** What the provider said about the person: the ID token's claims, and the refresh token to ask again. */
export interface SignInResult {
  claims: Record<string, unknown>;
  /** Kept server-side in the session only: never in a cookie, a log or an answer. */
  refreshToken?: string;
}

/** The provider as the portal uses it: sign-in, and asking again who the person is now (their groups). */
export interface IdentityProvider {
  start(returnTo: string): Promise<{ url: string; pending: PendingLogin }>;
  finish(callbackURL: URL, pending: PendingLogin): Promise<SignInResult>;
  /** A refresh-token grant: Dex's LDAP connector reads the person and their groups from the directory again. */
  refresh(refreshToken: string): Promise<SignInResult>;
}

/** Authorization-code flow with PKCE, state and nonce (openid-client does the protocol). */
export class OidcClient implements IdentityProvider {
  private readonly settings: OidcSettings;
  private configuration: Promise<client.Configuration> | undefined;

  constructor(settings: OidcSettings) {
    this.settings = settings;
  }

  private config(): Promise<client.Configuration> {
    const { issuer, clientID, clientSecret } = this.settings;
    // Plain HTTP is only allowed to a provider on loopback (the local environment).
    const local = new URL(issuer).hostname === '127.0.0.1';
    this.configuration ??= client
      .discovery(
        new URL(issuer),
        clientID,
        clientSecret,
        undefined,
        local ? { execute: [client.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  /** The provider's login URL, and what to remember until the callback. */
  async start(returnTo: string): Promise<{ url: string; pending: PendingLogin }> {
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending = { codeVerifier, state: client.randomState(), nonce: client.randomNonce(), returnTo };
    const url = client.buildAuthorizationUrl(await this.config(), {
      redirect_uri: this.settings.redirectURI,
      // offline_access: a refresh token, so the portal can have the directory's groups read again before it issues.
      scope: 'openid profile email groups offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Exchanges the callback's code for tokens, checking state, nonce and PKCE; returns the ID token's claims. */
  async finish(callbackURL: URL, pending: PendingLogin): Promise<SignInResult> {
    const tokens = await client.authorizationCodeGrant(await this.config(), callbackURL, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
    });
    return signInResult(tokens);
  }

  async refresh(refreshToken: string): Promise<SignInResult> {
    return signInResult(await client.refreshTokenGrant(await this.config(), refreshToken));
  }
}

/** The ID token's claims (required) and the refresh token (when the provider gave one). */
function signInResult(tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): SignInResult {
  const claims = tokens.claims();
  if (!claims) throw new Error('the provider returned no ID token');
  return { claims: claims as Record<string, unknown>, refreshToken: tokens.refresh_token };
}

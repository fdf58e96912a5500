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

/** Authorization-code flow with PKCE, state and nonce (openid-client does the protocol). */
export class OidcClient {
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
      scope: 'openid profile email groups',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Exchanges the callback's code for tokens, checking state, nonce and PKCE; returns the ID token's claims. */
  async finish(callbackURL: URL, pending: PendingLogin): Promise<Record<string, unknown>> {
    const tokens = await client.authorizationCodeGrant(await this.config(), callbackURL, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider returned no ID token');
    return claims as Record<string, unknown>;
  }
}

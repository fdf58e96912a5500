/** An OAuth 2.0 / OIDC client as Landlord asks the platform's identity provider for it: one per house's Argo CD. */
export interface OidcClientRequest {
  /** The client ID (names.ts houseOidcClientId: `argocd-<team>`). */
  id: string;
  /** Shown on the provider's sign-in page. */
  name: string;
  /** Exactly the URLs a sign-in may return to: the house's Argo CD callback, nothing else. */
  redirectURIs: string[];
}

/**
 * The platform's identity provider, as far as houses need it (ADR 34): its clients, made and removed by the
 * operator. The first implementation is Dex's gRPC API; the secret never leaves the operator's memory but into the
 * house it belongs to, never in a log, an event, a status or an annotation.
 */
export interface OidcClientRegistry {
  /**
   * Makes the client exist with exactly these redirect URIs and name; returns its secret: made once (random, 32 bytes
   * or more) when the client is new, then the provider's own. Idempotent; concurrent calls converge on one client.
   */
  ensure(client: OidcClientRequest): Promise<{ secret: string }>;
  /** Removes the client (a decommissioned house signs nobody in); absent already is fine. */
  remove(id: string): Promise<void>;
  /** Closes the connection to the provider. */
  close(): void;
}

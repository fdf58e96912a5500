import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { DexApiTarget } from './dex-api-address.ts';
import { DexApiClient, DexApiError, type DexWireClient, isClientNotFound } from './dex-api-client.ts';
import { oidcClientChange, oidcClientRequestProblem } from './oidc-client-change.ts';
import type { OidcClientRegistry, OidcClientRequest } from './oidc-client-registry.ts';

/** A new client's secret: 32 random bytes, base64url. */
export const newClientSecret = () => randomBytes(32).toString('base64url');

/**
 * The platform's Dex as Landlord's OIDC client registry (ADR 33), over Dex's gRPC API. An ensure of a
 * client that is as asked is one GetClient; Dex's storage decides a race of two creates (the loser reads the winner's).
 */
export class DexClientRegistry implements OidcClientRegistry {
  private readonly api: DexApiClient;

  constructor(target: DexApiTarget, options: { deadlineMs?: number } = {}) {
    this.api = new DexApiClient(target, options);
  }

  /** Dex's API address, for logs. */
  get address(): string {
    return this.api.address;
  }

  async ensure(client: OidcClientRequest): Promise<{ secret: string }> {
    const problem = oidcClientRequestProblem(client);
    if (problem) throw new DexApiError(problem, status.INVALID_ARGUMENT);
    // Twice at most: a client removed or made by someone else between our calls is read again once.
    for (let attempt = 0; ; attempt++) {
      const stored = await this.get(client.id);
      const last = attempt === 1;
      if (!stored) {
        const created = await this.create(client);
        if (created) return created;
      } else {
        const change = oidcClientChange(
          {
            name: stored.name,
            redirectURIs: stored.redirectUris,
            trustedPeers: stored.trustedPeers,
            public: stored.public,
            hasSecret: stored.secret !== '',
          },
          client,
        );
        if (change === 'none') return { secret: stored.secret };
        if (change === 'update') {
          const update = { id: client.id, redirectUris: client.redirectURIs, name: client.name };
          const updated = await this.api.call('UpdateClient', update, client.id);
          if (!updated.notFound) return { secret: stored.secret };
        } else {
          // Public or with trusted peers: an update cannot take that back, a new client can.
          await this.api.call('DeleteClient', { id: client.id }, client.id);
        }
      }
      if (last) {
        throw new DexApiError(
          `Dex API at ${this.address}: OIDC client ${client.id} changed under every attempt to ensure it; try again`,
          status.ABORTED,
        );
      }
    }
  }

  async remove(id: string): Promise<void> {
    // not_found: removed already, which is what was asked.
    await this.api.call('DeleteClient', { id }, id);
  }

  close(): void {
    this.api.close();
  }

  private async get(id: string): Promise<DexWireClient | undefined> {
    try {
      return (await this.api.call('GetClient', { id }, id)).client ?? undefined;
    } catch (error) {
      if (isClientNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The new client's secret, or undefined when another made the client first (Dex then changed nothing). */
  private async create(client: OidcClientRequest): Promise<{ secret: string } | undefined> {
    const secret = newClientSecret();
    const wire: DexWireClient = {
      id: client.id,
      secret,
      redirectUris: client.redirectURIs,
      trustedPeers: [],
      public: false,
      name: client.name,
    };
    const created = await this.api.call('CreateClient', { client: wire }, client.id);
    return created.alreadyExists ? undefined : { secret };
  }
}

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureDexApiCertificates } from '../../src/dev/identity/dex-api-certificates.ts';
import { restartDex } from '../../src/dev/identity/lifecycle.ts';
import { localDexClientRegistry } from '../../src/dev/identity/local-dex-registry.ts';
import type { DexApiTarget } from '../../src/integrations/identity/dex-api-address.ts';
import { DexApiClient, DexApiError } from '../../src/integrations/identity/dex-api-client.ts';
import { DexClientRegistry } from '../../src/integrations/identity/dex-client-registry.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { passwordGrant, signIn } from '../support/directory.ts';
import { waitFor } from '../support/wait.ts';

const { identity } = testEnvironment();
const { cluster } = testCluster();
const registry = localDexClientRegistry(identity.api);
const made: string[] = [];
after(async () => {
  for (const id of made) await registry.remove(id);
  registry.close();
});

/** A house's client as the operator asks for it: a callback on the house's Argo CD. */
function houseClient(team = uniqueName('dexreg')) {
  const id = `argocd-${team}`;
  made.push(id);
  return { id, name: `Argo CD ${team}`, redirectURIs: [`https://argocd-${team}.example/auth/callback`] };
}

const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

/** Dex's token endpoint with the password grant, as that client: the HTTP status. */
async function tokenStatus(clientID: string, clientSecret: string): Promise<number> {
  const response = await passwordGrant({ id: clientID, secret: clientSecret }, 'arthur', 'openid groups');
  await response.body?.cancel();
  return response.status;
}

/**
 * A browser's sign-in start at Dex for the client and callback, following Dex's hop to its one connector (where
 * Dex checks the request): the status of Dex's answer and where it sends the browser, if anywhere.
 */
async function authorize(clientID: string, redirectURI: string): Promise<{ status: number; location?: string }> {
  const query = new URLSearchParams({
    client_id: clientID,
    redirect_uri: redirectURI,
    response_type: 'code',
    scope: 'openid groups',
    state: 'state-of-the-test',
  });
  let url = `${identity.issuer}/auth?${query}`;
  for (;;) {
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    const location = response.headers.get('location') ?? undefined;
    const next = location === undefined ? undefined : new URL(location, url);
    // Within Dex's sign-in pages: follow; anywhere else is where the browser would go.
    if (next && next.href.startsWith(`${identity.issuer}/auth/`)) url = next.href;
    else return { status: response.status, location };
  }
}

/** The registry with these credentials, closed after the file's tests. */
function registryAs(target: DexApiTarget): DexClientRegistry {
  const other = new DexClientRegistry(target, { deadlineMs: 5_000 });
  after(() => other.close());
  return other;
}

describe("the houses' OIDC clients in the platform's Dex (its gRPC API, mutual TLS)", () => {
  it('ensure makes the client with a random secret, and gives the same secret every time after', async () => {
    const client = houseClient();
    const { secret } = await registry.ensure(client);
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    assert.equal((await registry.ensure(client)).secret, secret);
    assert.equal((await registry.ensure(client)).secret, secret);
  });

  it("signs a directory user in with the client's secret: the ID token is for that client and carries groups", async () => {
    const client = houseClient();
    const { secret } = await registry.ensure(client);
    const token = claims(await signIn('arthur', client.id, secret));
    assert.equal(token.aud, client.id);
    assert.equal(token.iss, identity.issuer);
    assert.ok((token.groups as string[]).includes('devteam-a'), `groups: ${JSON.stringify(token.groups)}`);
  });

  it('concurrent ensures (separate connections, as two replicas) converge on one client and one secret', async () => {
    const client = houseClient();
    const replicas = Array.from({ length: 6 }, () => localDexClientRegistry(identity.api));
    try {
      const secrets = await Promise.all(replicas.map((replica) => replica.ensure(client)));
      assert.equal(new Set(secrets.map(({ secret }) => secret)).size, 1, 'one secret');
      const [{ secret }] = secrets as [{ secret: string }];
      assert.equal((await registry.ensure(client)).secret, secret, 'the one Dex kept');
      assert.equal(await tokenStatus(client.id, secret), 200);
    } finally {
      for (const replica of replicas) replica.close();
    }
  });

  it('updates the redirect URIs (the secret stays): the old callback is refused, the new one accepted', async () => {
    const client = houseClient();
    const { secret } = await registry.ensure(client);
    assert.equal((await authorize(client.id, client.redirectURIs[0] ?? '')).status, 200, "Dex's sign-in form");
    const moved = { ...client, name: `${client.name} (moved)`, redirectURIs: ['https://moved.example/auth/callback'] };
    assert.equal((await registry.ensure(moved)).secret, secret);
    const old = await authorize(client.id, client.redirectURIs[0] ?? '');
    assert.equal(old.status, 400, 'the old callback is no longer registered');
    assert.equal(old.location, undefined, 'and nothing is sent to it');
    assert.equal((await authorize(client.id, 'https://moved.example/auth/callback')).status, 200);
  });

  it('remove deletes the client (its secret signs nobody in) and is fine when it is gone already', async () => {
    const client = houseClient();
    const { secret } = await registry.ensure(client);
    assert.equal(await tokenStatus(client.id, secret), 200);
    await registry.remove(client.id);
    assert.equal(await tokenStatus(client.id, secret), 401);
    await registry.remove(client.id);
    const again = await registry.ensure(client);
    assert.notEqual(again.secret, secret, 'a client made anew has a new secret');
  });

  it("refuses client A's secret for client B: a house's secret gets no tokens for another house", async () => {
    const [a, b] = [houseClient(), houseClient()];
    const secretA = (await registry.ensure(a)).secret;
    await registry.ensure(b);
    assert.equal(await tokenStatus(b.id, secretA), 401);
    assert.equal(await tokenStatus(a.id, secretA), 200, 'the secret works for its own client');
  });

  it('refuses a sign-in that would return to a callback the client does not have (no redirect at all)', async () => {
    const client = houseClient();
    await registry.ensure(client);
    const attacker = await authorize(client.id, 'https://attacker.example/auth/callback');
    assert.equal(attacker.status, 400);
    assert.equal(attacker.location, undefined);
    // A registered prefix is not enough: Dex matches the whole callback.
    const longer = await authorize(client.id, `${client.redirectURIs[0]}/../../steal`);
    assert.equal(longer.status, 400);
  });

  it("takes back a client planted under a house's id that trusts another client or is public: made anew", async () => {
    const api = new DexApiClient({
      address: identity.api.address,
      tls: {
        ca: readFileSync(identity.api.ca),
        cert: readFileSync(identity.api.cert),
        key: readFileSync(identity.api.key),
      },
    });
    after(() => api.close());
    for (const planted of [
      { trustedPeers: ['landlord-portal'], public: false, secret: 'planted-secret-known-to-someone' },
      { trustedPeers: [], public: true, secret: '' },
    ]) {
      const client = houseClient();
      const wire = { id: client.id, name: client.name, redirectUris: client.redirectURIs, ...planted };
      assert.equal((await api.call('CreateClient', { client: wire }, client.id)).alreadyExists, false);
      const { secret } = await registry.ensure(client);
      assert.notEqual(secret, planted.secret);
      const stored = (await api.call('GetClient', { id: client.id }, client.id)).client;
      assert.deepEqual(
        { trustedPeers: stored?.trustedPeers, public: stored?.public, secretIsOurs: stored?.secret === secret },
        { trustedPeers: [], public: false, secretIsOurs: true },
      );
      if (planted.secret) assert.equal(await tokenStatus(client.id, planted.secret), 401, 'the planted secret is dead');
    }
  });

  it("serves nobody without the operator's client certificate: no certificate, another CA's, or plaintext", async () => {
    const client = houseClient();
    await registry.ensure(client);
    const ca = readFileSync(identity.api.ca);
    const elsewhere = mkdtempSync(join(tmpdir(), 'landlord-other-ca-'));
    after(() => rmSync(elsewhere, { recursive: true, force: true }));
    // A CA of its own with a client certificate: what a tenant could make, however well formed.
    const other = await ensureDexApiCertificates(elsewhere);
    const attempts: [string, DexApiTarget][] = [
      // What a caller with no certificate sends: TLS that trusts Dex, nothing of its own.
      ['no client certificate', { address: identity.api.address, tls: { ca, cert: null, key: null } as never }],
      [
        "another CA's client certificate",
        {
          address: identity.api.address,
          tls: { ca, cert: readFileSync(other.clientCert), key: readFileSync(other.clientKey) },
        },
      ],
      ['plaintext', { address: identity.api.address }],
    ];
    for (const [what, target] of attempts) {
      const intruder = registryAs(target);
      for (const call of [() => intruder.ensure(client), () => intruder.remove(client.id)]) {
        await assert.rejects(call(), (error: unknown) => {
          assert.ok(error instanceof DexApiError, `${what}: ${String(error)}`);
          assert.match(
            error.message,
            new RegExp(`^Dex API at ${identity.api.address}: \\w+ of OIDC client ${client.id}`),
          );
          assert.match(error.message, /\(UNAVAILABLE\)$/, `${what}: ${error.message}`);
          return true;
        });
      }
    }
    const { secret } = await registry.ensure(client);
    assert.equal(await tokenStatus(client.id, secret), 200, 'the client is still there, unchanged');
  });

  it("does not trust a Dex whose certificate another CA signed (a stand-in on Dex's address)", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'landlord-other-ca-'));
    after(() => rmSync(elsewhere, { recursive: true, force: true }));
    const other = await ensureDexApiCertificates(elsewhere);
    const misled = registryAs({
      address: identity.api.address,
      tls: {
        ca: readFileSync(other.ca),
        cert: readFileSync(identity.api.cert),
        key: readFileSync(identity.api.key),
      },
    });
    const client = houseClient();
    await assert.rejects(misled.ensure(client), /failed: .*\(UNAVAILABLE\)$/);
  });

  it("errors name the client and Dex's address, never a secret", async () => {
    const client = houseClient();
    const { secret } = await registry.ensure(client);
    const unreachable = registryAs({
      address: '127.0.0.1:1',
      tls: {
        ca: readFileSync(identity.api.ca),
        cert: readFileSync(identity.api.cert),
        key: readFileSync(identity.api.key),
      },
    });
    await assert.rejects(unreachable.ensure(client), (error: Error) => {
      assert.match(
        error.message,
        new RegExp(`^Dex API at 127\\.0\\.0\\.1:1: GetClient of OIDC client ${client.id} failed`),
      );
      assert.ok(!error.message.includes(secret));
      return true;
    });
    await assert.rejects(
      registry.ensure({ ...client, redirectURIs: ['/relative'] }),
      /redirect URI "\/relative" is not allowed/,
    );
  });

  it("puts a client back after Dex restarts with memory storage (the operator's next pass): with a new secret", async () => {
    const client = houseClient();
    const before = (await registry.ensure(client)).secret;
    await restartDex(cluster, () => {});
    let renewed: string | undefined;
    // The same connection as the operator's: it reconnects on its own.
    await waitFor(
      async () => {
        renewed = await registry.ensure(client).then(
          ({ secret }) => secret,
          () => undefined,
        );
        return renewed !== undefined;
      },
      'the registry to reach the restarted Dex',
      30_000,
    );
    assert.notEqual(renewed, before, 'Dex forgot the client; it was made anew');
    assert.equal(await tokenStatus(client.id, renewed ?? ''), 200);
    assert.equal(await tokenStatus(client.id, before), 401);
  });
});

// A hostile team against the houses' single sign-on (ADR 34): a platform admin signs in to the team's own Argo CD
// (platform admins are role:admin in every house), and the team, admin of that Argo CD and of its house, gets hold of
// the ID token (its Argo CD's session) or of its house's client secret (Secret argocd/landlord-sso inside the house).
// It replays them where the admin is worth more: the host Argo CD. Run under `flock /tmp/landlord-house-e2e.lock`.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dexClients } from '../../src/dev/identity/lifecycle.ts';
import { platformAdminsGroup } from '../../src/dev/identity/directory.ts';
import { localDexClientRegistry } from '../../src/dev/identity/local-dex-registry.ts';
import { ArgoCdClient } from '../support/argocd-api.ts';
import { testEnvironment, uniqueName } from '../support/cluster.ts';
import { identitySecrets, passwordGrant, signIn } from '../support/directory.ts';

const { identity } = testEnvironment();
const registry = localDexClientRegistry(identity.api);
const team = uniqueName('rtha');
/** A platform admin of the directory (in platform-admins from the start). */
const admin = 'carol';

/** What the host Argo CD says of a bearer token: the HTTP status and whether it took it as a signed-in user. */
async function hostArgoCdSays(token: string) {
  const answer = await new ArgoCdClient(token).call<{ loggedIn?: boolean; groups?: string[] }>(
    'GET',
    '/api/v1/session/userinfo',
  );
  const listed = await new ArgoCdClient(token).call<{ items?: unknown[] | null }>('GET', '/api/v1/applications');
  return { status: answer.status, loggedIn: answer.body.loggedIn === true, applications: listed.status };
}

/** Dex's password grant with the house's client asking for a token for another client too (cross-client scope). */
async function crossClientToken(clientID: string, clientSecret: string, peer: string) {
  const scope = `openid profile email groups audience:server:client_id:${peer}`;
  const response = await passwordGrant({ id: clientID, secret: clientSecret }, admin, scope);
  const body = (await response.json()) as { id_token?: string };
  return { status: response.status, token: body.id_token };
}

describe('a house’s Argo CD sign-in replayed on the host Argo CD', () => {
  after(async () => {
    await registry.remove(`argocd-${team}`);
    registry.close();
  });

  it('a platform admin’s ID token for a house’s client is refused by the host Argo CD (another audience)', async (t) => {
    // The house's client as the operator makes it; its secret is what the team can read inside its house.
    const request = {
      id: `argocd-${team}`,
      name: `Argo CD of ${team}`,
      redirectURIs: [`https://argocd-${team}.example/auth/callback`],
    };
    const { secret } = await registry.ensure(request);
    // The host's own client: the admin's token is taken (the check below can fail).
    const own = await hostArgoCdSays(await signIn(admin, dexClients.argocd, identitySecrets().clientSecrets.argocd));
    assert.deepEqual(
      own,
      { status: 200, loggedIn: true, applications: 200 },
      `the admin on the host: ${platformAdminsGroup}`,
    );
    // The team's: the admin's token from the house's sign-in (or minted with the house's secret) is nobody there.
    const replayed = await hostArgoCdSays(await signIn(admin, request.id, secret));
    t.diagnostic(JSON.stringify(replayed));
    assert.equal(replayed.loggedIn, false, 'the host Argo CD took a token of the house’s client as the admin');
    assert.notEqual(replayed.applications, 200, 'the host Argo CD listed applications for a house’s token');
  });
  it('a house’s client secret gets no token for the host Argo CD’s client (Dex’s cross-client audience scope)', async (t) => {
    const request = {
      id: `argocd-${team}`,
      name: `Argo CD of ${team}`,
      redirectURIs: [`https://argocd-${team}.example/auth/callback`],
    };
    const { secret } = await registry.ensure(request);
    // Control: its own sign-in works (the refusal below is about the other audience, not the client).
    assert.ok(await signIn(admin, request.id, secret));
    const answer = await crossClientToken(request.id, secret, dexClients.argocd);
    t.diagnostic(`Dex answered ${answer.status}`);
    assert.equal(answer.token, undefined, `Dex gave the house's client a token naming ${dexClients.argocd} too`);
  });
});

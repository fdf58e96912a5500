import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { dexClients } from '../../src/dev/identity/lifecycle.ts';
import { testEnvironment } from '../support/cluster.ts';
import { addToDirectoryGroup, identitySecrets, signIn } from '../support/directory.ts';

const { identity } = testEnvironment();
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const portalSignIn = (uid: string) => signIn(uid, dexClients.portal, identitySecrets().clientSecrets.portal);

describe('the directory (OpenLDAP) and single sign-on (Dex)', () => {
  it('publishes OIDC discovery on loopback', async () => {
    const discovery = (await (await fetch(`${identity.issuer}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      token_endpoint: string;
    };
    assert.equal(discovery.issuer, identity.issuer);
    assert.match(discovery.token_endpoint, /^http:\/\/127\.0\.0\.1:\d+\/dex\/token$/);
  });

  it("signs a directory user in with the directory's groups in the token", async () => {
    // arthur: a devteam-a member no other test adds to groups.
    const token = claims(await portalSignIn('arthur'));
    assert.equal(token.email, 'arthur@financecore.example');
    assert.equal(token.preferred_username, 'arthur');
    assert.deepEqual(token.groups, ['devteam-a']);
    assert.equal(token.aud, dexClients.portal);
  });

  it('gives a user in no group no groups, and an admin the admin group', async () => {
    assert.deepEqual(claims(await portalSignIn('dave')).groups ?? [], []);
    assert.deepEqual(claims(await portalSignIn('carol')).groups, ['platform-admins']);
  });

  it('follows the directory: a user added to a group has it at the next sign-in', async () => {
    addToDirectoryGroup('payments-oncall', ['bob']);
    assert.deepEqual(claims(await portalSignIn('bob')).groups, ['devteam-b', 'payments-oncall']);
  });

  it('refuses a wrong password and an unknown client secret', async () => {
    const tokenURL = `${identity.issuer}/token`;
    const attempt = (clientSecret: string, password: string) =>
      fetch(tokenURL, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${dexClients.portal}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'password', username: 'alice', password, scope: 'openid groups' }),
      });
    const secrets = identitySecrets();
    assert.equal((await attempt(secrets.clientSecrets.portal, 'wrong-password')).status, 401);
    assert.equal((await attempt('not-the-secret', secrets.users.alice ?? '')).status, 401);
  });

  it('lets nobody read the directory anonymously, and nobody read password hashes', () => {
    const search = (...bind: string[]) =>
      spawnSync('ldapsearch', ['-x', '-LLL', '-H', identity.ldapURL, ...bind, '-b', identity.baseDN, '(uid=alice)'], {
        encoding: 'utf8',
      });
    assert.doesNotMatch(search().stdout, /uid: alice/, 'anonymous search finds nothing');
    const asBob = search('-D', `uid=bob,ou=people,${identity.baseDN}`, '-w', identitySecrets().users.bob ?? '');
    assert.equal(asBob.status, 0, asBob.stderr);
    assert.match(asBob.stdout, /uid: alice/, 'a signed-in user may look people up');
    assert.doesNotMatch(asBob.stdout, /userPassword/, 'but never their password hash');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArgoCdClient } from '../support/argocd-api.ts';
import { signInToArgoCd } from '../support/argocd-login.ts';
import { testCluster, testEnvironment } from '../support/cluster.ts';
import { addToDirectoryGroup } from '../support/directory.ts';

// Issue 12: Argo CD's SSO sessions lasted its default 24 hours. A session is Dex's ID token, which Argo CD
// refreshes while its session lasts (users.session.duration); both end the platform's sso.sessionMinutes after
// sign-in.
const { http } = testCluster();
const environment = testEnvironment();
const minutes = environment.platform.sso.sessionMinutes;
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('Argo CD single sign-on sessions are short', () => {
  it(`hands a member signing in through Dex a session token that expires within ${minutes} minutes`, async () => {
    addToDirectoryGroup('devteam-a', ['alice']);
    const signedInAt = Date.now();
    const token = await signInToArgoCd(environment.argocd.url, 'alice');
    const claims = claimsOf(token);
    assert.equal(claims.iss, environment.identity.issuer, 'the session is the directory sign-in (Dex)');
    const [iat, exp] = [claims.iat as number, claims.exp as number];
    assert.ok(exp - iat <= minutes * 60, `lives ${exp - iat} s, at most ${minutes * 60}`);
    assert.ok(exp * 1000 - signedInAt <= minutes * 60_000 + 5_000, 'ends within the bound from sign-in');
    const info = await new ArgoCdClient(token).call<{ loggedIn: boolean; groups?: string[] }>(
      'GET',
      '/api/v1/session/userinfo',
    );
    assert.equal(info.body.loggedIn, true, JSON.stringify(info.body));
    assert.ok(info.body.groups?.includes('devteam-a'), 'with the directory groups');
  });

  it('refreshes no session past the bound: Argo CD keeps the refresh token only that long', async () => {
    const settings = await http.request<{ data: Record<string, string> }>({
      method: 'GET',
      path: `/api/v1/namespaces/${environment.platform.argocd.namespace}/configmaps/argocd-cm`,
    });
    assert.equal(settings.data['users.session.duration'], `${minutes}m`);
  });
});

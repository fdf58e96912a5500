import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startTestPortal } from '../support/portal.ts';
import { CookieJar, signInToPortal } from '../support/portal-login.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const tenantOfA = uniqueName('portal-a');
const tenantOfB = uniqueName('portal-b');
const sessionTtlSeconds = 600;
const portal = await startTestPortal({ sessionTtlSeconds });
const portalURL = portal.url;
const { audit } = portal;

before(async () => {
  for (const [name, group] of [
    [tenantOfA, 'devteam-a'],
    [tenantOfB, 'devteam-b'],
  ] as const) {
    const tenant = validTenant(name, name);
    tenant.spec.adGroup = group;
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: tenant });
  }
  await waitFor(async () => portal.tenants.get(tenantOfB) !== undefined, 'the portal to see the tenants');
});
after(async () => {
  for (const name of [tenantOfA, tenantOfB])
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${name}` });
});

const api = (jar: CookieJar, path: string, init: RequestInit = {}) => jar.fetch(`${portalURL}${path}`, init);
const names = async (jar: CookieJar) =>
  ((await (await api(jar, '/api/v1/tenants')).json()) as { items: { name: string }[] }).items.map((t) => t.name);

describe('signing in to the portal through Dex and the directory', () => {
  it('signs a member of devteam-a in and knows their groups', async () => {
    const jar = await signInToPortal(portalURL, 'arthur');
    const session = (await (await api(jar, '/api/v1/session')).json()) as {
      user: { username: string; email: string; groups: string[] };
      admin: boolean;
      csrfToken: string;
    };
    assert.equal(session.user.username, 'arthur');
    assert.equal(session.user.email, 'arthur@financecore.example');
    assert.deepEqual(session.user.groups, ['devteam-a']);
    assert.equal(session.admin, false);
    assert.ok(session.csrfToken.length > 10);
    assert.ok(audit.some((line) => line.action === 'sign-in' && line.user === 'arthur'));
  });

  it("shows a member only their team's tenants, and nothing of another team's, not even by name", async () => {
    const arthur = await signInToPortal(portalURL, 'arthur');
    const visible = await names(arthur);
    assert.ok(visible.includes(tenantOfA));
    assert.ok(!visible.includes(tenantOfB));
    const theirs = await api(arthur, `/api/v1/tenants/${tenantOfB}`);
    assert.equal(theirs.status, 404);
    assert.doesNotMatch(await theirs.text(), /devteam-b|team-lead/, 'no data about it');
    assert.equal((await api(arthur, `/api/v1/tenants/${tenantOfA}`)).status, 200);
  });

  it('shows an admin every tenant', async () => {
    const carol = await signInToPortal(portalURL, 'carol');
    const visible = await names(carol);
    assert.ok(visible.includes(tenantOfA) && visible.includes(tenantOfB));
  });

  it('refuses calls without a session, with a forged one, and with an expired one', async (t) => {
    assert.equal((await api(new CookieJar(), '/api/v1/tenants')).status, 401);
    const forged = await fetch(`${portalURL}/api/v1/tenants`, { headers: { cookie: 'landlord_session=forged.value' } });
    assert.equal(forged.status, 401);
    const jar = await signInToPortal(portalURL, 'arthur');
    assert.equal((await api(jar, '/api/v1/tenants')).status, 200);
    // The portal runs in this process: its clock is moved past the session's lifetime for one call, instead of
    // waiting that long. The jar still sends the cookie: the refusal is the portal's.
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() + (sessionTtlSeconds + 1) * 1000 });
    const expired = await api(jar, '/api/v1/tenants');
    t.mock.timers.reset();
    assert.equal(expired.status, 401);
  });

  it('refuses a sign-out without the CSRF token, and ends the session with it', async () => {
    const jar = await signInToPortal(portalURL, 'arthur');
    assert.equal((await api(jar, '/auth/logout', { method: 'POST' })).status, 403);
    const { csrfToken } = (await (await api(jar, '/api/v1/session')).json()) as { csrfToken: string };
    const out = await api(jar, '/auth/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken } });
    assert.equal(out.status, 200);
    assert.equal((await api(jar, '/api/v1/tenants')).status, 401);
  });

  it('refuses a wrong password at the directory', async () => {
    await assert.rejects(signInToPortal(portalURL, 'arthur', 'not-his-password'), /refused/);
  });
});

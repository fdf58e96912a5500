import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { AccessTokenIssuer } from './access-tokens.ts';
import type { AuditLine } from './audit-log.ts';
import { buildPortal } from './app.ts';
import type { IdentityProvider } from './oidc.ts';
import type { SessionLimits } from './session-store.ts';
import type { TenantView } from './tenant-view.ts';

const ready = {
  metadata: { name: 'devteam-a' },
  spec: { teamName: 'devteam-a', adGroup: 'devteam-a', ownerEmail: 'alice@x', isolation: 'namespace' },
  status: { phase: 'Ready' },
} as unknown as Tenant;
const tenants: TenantView = {
  list: () => [ready],
  get: (name) => (name === 'devteam-a' ? ready : undefined),
  quotaOf: () => [],
  subscribe: () => () => {},
};

/** The directory as the fake provider answers it: groups per person, and whether refreshes still work. */
class FakeDirectory implements IdentityProvider {
  groups = new Map<string, string[]>([['arthur', ['devteam-a']]]);
  revoked = new Set<string>();
  refreshes = 0;
  private issued = 0;
  private readonly tokens = new Map<string, string>();

  async start(returnTo: string) {
    const pending = { codeVerifier: 'v', state: 's', nonce: 'n', returnTo };
    return { url: 'http://dex.invalid/auth', pending };
  }

  async finish(callback: URL) {
    return this.answer(callback.searchParams.get('uid') ?? 'arthur');
  }

  async refresh(token: string) {
    this.refreshes++;
    const uid = this.tokens.get(token);
    this.tokens.delete(token); // rotated, as Dex does
    if (!uid || this.revoked.has(uid)) throw new Error('invalid_grant: the refresh token is no longer valid');
    return this.answer(uid);
  }

  private answer(uid: string) {
    const refreshToken = `refresh-${uid}-${++this.issued}`;
    this.tokens.set(refreshToken, uid);
    const claims = {
      sub: `sub-${uid}`,
      email: `${uid}@x`,
      preferred_username: uid,
      groups: this.groups.get(uid) ?? [],
    };
    return { claims, refreshToken };
  }
}

const limits: Partial<SessionLimits> = { maxPerPerson: 2, maxPending: 3, absoluteSeconds: 3600 };

async function portal(directory: FakeDirectory, audit: AuditLine[] = [], revoked: string[] = []) {
  const access: AccessTokenIssuer = {
    issue: async (tenant, person) => ({
      token: 'a-token',
      expiresAt: '2026-01-05T10:00:00Z',
      identity: `${tenant.metadata.name}.${person.username}`,
    }),
    revokeTenant: async () => {},
    revoke: async (gone, person) =>
      void revoked.push(...gone.map((tenant) => `${tenant.metadata.name}.${person.username}`)),
  };
  return buildPortal({
    publicURL: 'http://127.0.0.1:1',
    oidc: { issuer: 'http://127.0.0.1:1/dex', clientID: 'portal', clientSecret: 'secret' },
    identity: directory,
    policy: { requesterGroups: ['devteam-a'], adminGroups: ['platform-admins'] },
    platform: defaultPlatformConfig,
    sessionSecret: 'a-unit-test-session-secret-of-32-characters',
    sessionTtlSeconds: 1800,
    sessionLimits: limits,
    tenants,
    writer: {
      mode: 'direct',
      create: () => Promise.reject(new Error('no')),
      remove: () => Promise.reject(new Error('no')),
    },
    access,
    endpoint: { server: 'https://127.0.0.1:6443' },
    audit: (line) => audit.push(line),
  });
}

const cookieOf = (response: { cookies: { name: string; value: string }[] }, name = 'landlord_session') => {
  const cookie = response.cookies.find((candidate) => candidate.name === name);
  return cookie ? `${name}=${cookie.value}` : '';
};
/** The pending sign-in's cookie that /auth/login set. */
const loginCookieOf = (response: { cookies: { name: string; value: string }[] }) =>
  cookieOf(response, 'landlord_login');

/** The browser's dance against the fake provider: /auth/login, then the provider's redirect to /auth/callback. */
async function signIn(app: FastifyInstance, uid = 'arthur') {
  const login = await app.inject({ method: 'GET', url: '/auth/login' });
  const callback = await app.inject({
    method: 'GET',
    url: `/auth/callback?code=c&state=s&uid=${uid}`,
    headers: { cookie: loginCookieOf(login) },
  });
  assert.equal(callback.statusCode, 302, callback.body);
  const cookie = cookieOf(callback);
  const session = (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).json<{
    csrfToken: string;
  }>();
  return { cookie, csrf: session.csrfToken, callback };
}

const signedIn = async (app: FastifyInstance, cookie: string) =>
  (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).json<{ user: unknown }>().user !==
  null;

const kubeconfig = (app: FastifyInstance, who: { cookie: string; csrf: string }) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/tenants/devteam-a/kubeconfig',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
  });

const mockDate = (t: TestContext) => t.mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-01-05T09:00:00Z') });

describe('portal sessions are bounded', () => {
  it('in length: past its absolute lifetime (an hour here) a busy session ends all the same', async (t) => {
    mockDate(t);
    const app = await portal(new FakeDirectory());
    const { cookie } = await signIn(app);
    for (let minute = 0; minute < 50; minute += 10) {
      t.mock.timers.tick(10 * 60 * 1000);
      assert.equal(await signedIn(app, cookie), true, `after ${minute + 10} minutes of use`);
    }
    t.mock.timers.tick(10 * 60 * 1000);
    assert.equal(await signedIn(app, cookie), false, 'past the absolute lifetime');
    await app.close();
  });

  it('in number per person: a third sign-in of the same person ends their oldest session', async () => {
    const app = await portal(new FakeDirectory());
    const first = await signIn(app);
    const second = await signIn(app);
    const third = await signIn(app);
    assert.equal(await signedIn(app, first.cookie), false);
    assert.equal(await signedIn(app, second.cookie), true);
    assert.equal(await signedIn(app, third.cookie), true);
    await app.close();
  });

  it('not in pending logins: those live in the browser, so no number of /auth/login pushes one out', async () => {
    const app = await portal(new FakeDirectory());
    const first = loginCookieOf(await app.inject({ method: 'GET', url: '/auth/login' }));
    for (let index = 0; index < 20; index++) {
      const flood = await app.inject({ method: 'GET', url: '/auth/login' });
      assert.equal(cookieOf(flood), '', 'an anonymous /auth/login makes no session');
    }
    const finished = await app.inject({
      method: 'GET',
      url: '/auth/callback?code=c&state=s',
      headers: { cookie: first },
    });
    assert.equal(finished.statusCode, 302, finished.body);
    await app.close();
  });

  it('refuses a replayed, tampered or missing sign-in cookie at the callback, and clears it', async () => {
    const app = await portal(new FakeDirectory());
    const login = loginCookieOf(await app.inject({ method: 'GET', url: '/auth/login' }));
    const finish = (cookie: string) =>
      app.inject({ method: 'GET', url: '/auth/callback?code=c&state=s', headers: cookie ? { cookie } : {} });
    const first = await finish(login);
    assert.equal(first.statusCode, 302, first.body);
    const cleared = first.cookies.find((cookie) => cookie.name === 'landlord_login');
    assert.equal(cleared?.value, '', 'the callback clears the sign-in cookie');
    const replayed = await finish(login);
    assert.equal(replayed.statusCode, 400);
    assert.match(replayed.body, /already used/);
    assert.equal(cookieOf(replayed), '', 'a replay signs no one in');
    const tampered = `${login.slice(0, -2)}${login.endsWith('A') ? 'B' : 'A'}A`;
    assert.match((await finish(tampered)).body, /not one the portal issued/);
    assert.match((await finish('')).body, /no sign-in in progress/);
    await app.close();
  });

  it('never gives the refresh token to the browser', async () => {
    const app = await portal(new FakeDirectory());
    const { cookie, callback } = await signIn(app);
    const session = await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    for (const text of [session.body, JSON.stringify(callback.headers), cookie]) assert.doesNotMatch(text, /refresh-/);
    await app.close();
  });
});

describe("the portal re-reads a person's groups before it issues anything", () => {
  it('issues to a member; refuses, and takes their identity back, once the directory drops them from the group', async () => {
    const directory = new FakeDirectory();
    const audit: AuditLine[] = [];
    const revoked: string[] = [];
    const app = await portal(directory, audit, revoked);
    const arthur = await signIn(app);
    const issued = await kubeconfig(app, arthur);
    assert.equal(issued.statusCode, 200, issued.body);
    assert.equal(directory.refreshes, 1, 'the directory was asked before issuing');
    directory.groups.set('arthur', []);
    const refused = await kubeconfig(app, arthur);
    assert.equal(refused.statusCode, 404, refused.body);
    assert.deepEqual(revoked, ['devteam-a.arthur']);
    assert.ok(
      audit.some((line) => line.action === 'group-check' && JSON.stringify(line).includes('"lost":["devteam-a"]')),
    );
    await app.close();
  });

  it('signs the person out everywhere when the directory no longer confirms them', async () => {
    const directory = new FakeDirectory();
    const app = await portal(directory);
    const laptop = await signIn(app);
    const phone = await signIn(app);
    directory.revoked.add('arthur');
    const refused = await kubeconfig(app, laptop);
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /no longer confirms your sign-in/);
    assert.equal(await signedIn(app, laptop.cookie), false);
    assert.equal(await signedIn(app, phone.cookie), false);
    await app.close();
  });
});

import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { buildPortal } from './app.ts';
import type { TenantView } from './tenant-view.ts';
import type { PortalUser } from './user.ts';

const ttlSeconds = 600;
const arthur: PortalUser = { subject: 's', username: 'arthur', email: 'a@x', name: 'Arthur', groups: ['devteam-a'] };
const unused = () => Promise.reject(new Error('not in this test'));
const noTenants: TenantView = { list: () => [], get: () => undefined, quotaOf: () => [], subscribe: () => () => {} };

/** The portal with its real session settings; /test/sign-in stands for the provider's callback (it needs Dex). */
async function portal(): Promise<FastifyInstance> {
  const app = await buildPortal({
    publicURL: 'http://127.0.0.1:1',
    oidc: { issuer: 'http://127.0.0.1:1/dex', clientID: 'portal', clientSecret: 'secret' },
    policy: { requesterGroups: ['devteam-a'], adminGroups: ['platform-admins'] },
    platform: defaultPlatformConfig,
    sessionSecret: 'a-unit-test-session-secret-of-32-characters',
    sessionTtlSeconds: ttlSeconds,
    tenants: noTenants,
    writer: { mode: 'direct', create: unused, remove: unused },
    access: { issue: unused, revoke: unused, revokeTenant: unused },
    endpoint: { server: 'https://127.0.0.1:6443' },
  });
  app.get('/test/sign-in', async (request) => {
    await request.session.regenerate();
    request.session.user = arthur;
    return {};
  });
  return app;
}

/** Signs in and returns the session cookie, as a browser would keep it. */
async function signIn(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/test/sign-in' });
  const cookie = response.cookies.find((candidate) => candidate.name === 'landlord_session');
  assert.ok(cookie, 'a session cookie');
  return `landlord_session=${cookie.value}`;
}

const sessionUser = async (app: FastifyInstance, cookie: string) =>
  (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).json<{
    user: PortalUser | null;
  }>().user;

// Only Date is mocked: the session library reads it to decide expiry; nothing waits on the wall clock.
const mockDate = (t: TestContext) => t.mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-01-05T09:00:00Z') });

describe('portal sessions', () => {
  it('keep the user signed in within the session lifetime', async (t) => {
    mockDate(t);
    const app = await portal();
    const cookie = await signIn(app);
    assert.equal((await sessionUser(app, cookie))?.username, 'arthur');
    t.mock.timers.tick((ttlSeconds - 1) * 1000);
    assert.equal((await sessionUser(app, cookie))?.username, 'arthur');
    await app.close();
  });

  it('refuse a session unused for longer than its lifetime, though the browser still sends its cookie', async (t) => {
    mockDate(t);
    const app = await portal();
    const cookie = await signIn(app);
    t.mock.timers.tick((ttlSeconds + 1) * 1000);
    assert.equal(await sessionUser(app, cookie), null);
    const tenants = await app.inject({ method: 'GET', url: '/api/v1/tenants', headers: { cookie } });
    assert.equal(tenants.statusCode, 401);
    await app.close();
  });
});

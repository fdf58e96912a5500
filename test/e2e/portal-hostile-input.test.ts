import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorBody } from '../../src/portal/errors.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { uniqueName } from '../support/cluster.ts';
import { tenantExists } from '../support/operator.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { signInLanding } from '../support/portal-login.ts';
import { startTestPortal } from '../support/portal.ts';

const portal = await startTestPortal();

describe('the portal refuses hostile input cleanly (direct mode, real Dex and LDAP)', () => {
  it('never sends the browser off-site after sign-in, whatever returnTo says', async () => {
    const attacks = [
      '/%5Cevil.example/phish',
      '/%5C%5Cevil.example',
      '//evil.example/phish',
      '%2F%2Fevil.example',
      '/%2F/evil.example',
      '/\\evil.example',
      '/%09/evil.example',
      '/%0A/evil.example',
      'https://evil.example/phish',
      'https:%2F%2Fevil.example',
      '/..//evil.example',
      'javascript:alert(1)',
    ];
    for (const returnTo of attacks) {
      const { landing } = await signInLanding(portal.url, 'arthur', `/auth/login?returnTo=${returnTo}`);
      assert.equal(landing.origin, portal.url, `returnTo=${returnTo} landed at ${landing.href}`);
      assert.doesNotMatch(landing.pathname, /^\/\/|\\/, returnTo);
    }
    const { landing } = await signInLanding(portal.url, 'arthur', '/auth/login?returnTo=%2Ftenants%2Fdevteam-a');
    assert.equal(landing.href, `${portal.url}/tenants/devteam-a`, 'a path of the portal itself is kept');
  });

  it('answers a JSON body nested 30,000 levels deep with 400 naming the limit, not 500', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    for (const body of [
      `${'['.repeat(30_000)}${']'.repeat(30_000)}`,
      `{"spec":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_001)}`,
    ]) {
      const answer = await arthur.sendRaw('/api/v1/tenants', body);
      assert.equal(answer.status, 400, await answer.clone().text());
      const { error } = (await answer.json()) as ErrorBody;
      assert.match(error.message, /nests deeper than 32 levels/);
    }
    assert.ok(!portal.logs.some((line) => /RangeError|Maximum call stack/.test(line)), portal.logs.join('\n'));
  });

  it('echoes a huge value bounded: its first 200 characters and its length', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const team = uniqueName('phuge');
    const { spec } = validTenant(team, team);
    const huge = 'x'.repeat(60_000);
    for (const body of [
      { spec: { ...spec, adGroup: 'devteam-a', ownerEmail: huge } },
      { spec: { ...spec, adGroup: 'devteam-a' }, [huge]: 1 },
    ]) {
      const answer = await arthur.send('POST', '/api/v1/tenants', body);
      assert.equal(answer.status, 422);
      const text = await answer.text();
      assert.ok(text.length < 2000, `answered ${text.length} characters`);
      assert.match(text, /x{199}\.\.\. \(600\d\d characters\)/);
    }
    assert.equal(await tenantExists(team), false);
  });
});

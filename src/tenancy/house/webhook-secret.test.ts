import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Tenant } from '../../api/tenant.ts';
import { buildHouseWebhookSecret, houseWebhookSecret } from './webhook-secret.ts';

const tenant = (uid: string) => ({ metadata: { name: 'team-a', uid } }) as unknown as Tenant;

describe("a house's webhook secret", () => {
  it('is derived from the host secret and the tenant, and never equals either', () => {
    const secret = houseWebhookSecret('host-secret', tenant('uid-1'));
    assert.equal(secret, createHmac('sha256', 'host-secret').update('house:uid-1').digest('hex'));
    assert.equal(houseWebhookSecret('host-secret', tenant('uid-1')), secret, 'the same on every pass');
    assert.notEqual(secret, 'host-secret');
    assert.ok(!secret.includes('host-secret'));
  });

  it('differs per house, per tenant of a name, and per host secret', () => {
    const secrets = [
      houseWebhookSecret('host-secret', tenant('uid-1')),
      houseWebhookSecret('host-secret', tenant('uid-2')),
      houseWebhookSecret('other-host-secret', tenant('uid-1')),
    ];
    assert.equal(new Set(secrets).size, 3);
  });

  it('refuses an empty host secret rather than derive a guessable one', () => {
    assert.throws(() => houseWebhookSecret('', tenant('uid-1')), /host webhook secret is empty/);
  });

  it("puts the secret under every provider's key of argocd-secret, and nothing else", () => {
    const built = buildHouseWebhookSecret('s3cret');
    assert.equal(built.metadata.name, 'argocd-secret');
    assert.equal(built.metadata.namespace, 'argocd');
    const data = built.data as Record<string, string>;
    const decoded = Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
    );
    assert.equal(decoded['webhook.gogs.secret'], 's3cret');
    for (const key of ['webhook.github.secret', 'webhook.gitlab.secret', 'webhook.bitbucketserver.secret'])
      assert.equal(decoded[key], 's3cret', key);
    assert.ok(
      Object.keys(decoded).every((key) => key.startsWith('webhook.')),
      'only webhook keys',
    );
  });
});

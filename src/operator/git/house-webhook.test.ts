import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedTenant } from '../../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig as platform } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import type { GitForge, PushWebhook } from '../../integrations/git/git-forge.ts';
import { houseWebhookSecret } from '../../tenancy/house/webhook-secret.ts';
import { gitFactory } from './git-factory.ts';
import { houseWebhookFor, houseWebhookSecretOf, keepHouseWebhook } from './house-webhook.ts';

const host: PushWebhook = { url: 'https://argocd.landlord.local/api/webhook', secret: 'host-secret' };
const repository = { organization: 'tenants', name: 'devteam-a-gitops' };

function tenantOf(kind: 'namespace' | 'house' | 'house without Argo CD'): Tenant {
  const tenant = storedTenant((document) => {
    if (kind === 'namespace') return;
    document.spec.isolation = 'vcluster';
    delete document.spec.nodePool;
    if (kind === 'house without Argo CD') document.spec.services = { argocd: false };
  });
  return { ...tenant, metadata: { ...tenant.metadata, uid: 'uid-1' } };
}

/** A forge that records the webhook calls and fails any other. */
function recordingForge() {
  const calls: string[] = [];
  const forge = {
    ensureWebhook: async (_: unknown, hook: PushWebhook) => void calls.push(`ensure ${hook.url}`),
    removeWebhook: async (_: unknown, url: string) => void calls.push(`remove ${url}`),
  } as unknown as GitForge;
  return { forge, calls };
}

describe("a house's webhook", () => {
  it("points at the house's own Argo CD with the house's derived secret", () => {
    const house = tenantOf('house');
    const hook = houseWebhookFor(host, house, platform);
    assert.ok(hook);
    assert.match(hook.url, /\/api\/webhook$/);
    assert.notEqual(hook.url, host.url);
    assert.ok(hook.secret === houseWebhookSecret(host.secret, house) && hook.secret !== host.secret);
  });

  it('is none without a host secret, for a namespace tenant, or for a house without its own Argo CD', () => {
    assert.equal(houseWebhookFor(undefined, tenantOf('house'), platform), undefined);
    assert.equal(houseWebhookFor(host, tenantOf('namespace'), platform), undefined);
    assert.equal(houseWebhookFor(host, tenantOf('house without Argo CD'), platform), undefined);
  });

  it("is kept while the house has its Argo CD and removed when it has none; a namespace tenant's is never asked", async () => {
    const house = tenantOf('house');
    const url = houseWebhookFor(host, house, platform)?.url;
    const kept = recordingForge();
    await keepHouseWebhook(kept.forge, repository, house, platform, host);
    assert.deepEqual(kept.calls, [`ensure ${url}`]);
    const off = recordingForge();
    await keepHouseWebhook(off.forge, repository, tenantOf('house without Argo CD'), platform, host);
    assert.deepEqual(off.calls, [`remove ${url}`]);
    const namespace = recordingForge();
    await keepHouseWebhook(namespace.forge, repository, tenantOf('namespace'), platform, host);
    assert.deepEqual(namespace.calls, []);
  });

  it("is signed with the secret the factory gives the house's side, and none without a host secret", () => {
    const house = tenantOf('house');
    const forge = recordingForge().forge;
    const signing = new Map([['git', gitFactory(forge, { webhook: host })]]);
    assert.ok(houseWebhookSecretOf(signing, house) === houseWebhookSecret(host.secret, house));
    assert.equal(houseWebhookSecretOf(new Map([['git', gitFactory(forge)]]), house), undefined);
    assert.equal(houseWebhookSecretOf(new Map(), house), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type GiteaHook, isLandlordHook, planWebhook, webhookName } from './gitea-webhook.ts';

const wanted = { url: 'http://127.0.0.1:9/hook', secret: 'secret-one' };
const hook = (id: number, changes: Partial<GiteaHook> = {}): GiteaHook => ({
  id,
  type: 'gitea',
  name: webhookName(wanted.secret),
  active: true,
  events: ['push'],
  branch_filter: '',
  config: { url: wanted.url, content_type: 'json' },
  ...changes,
});

describe('the push webhook plan', () => {
  it('names a hook after a digest of its secret, never the secret', () => {
    assert.match(webhookName('secret-one'), /^Landlord push [0-9a-f]{16}$/);
    assert.notEqual(webhookName('secret-one'), webhookName('secret-two'));
    assert.ok(!webhookName('secret-one').includes('secret-one'));
  });

  it("keeps a hook as asked, and removes only Landlord's other hooks to the same URL", () => {
    const other = hook(3, { config: { url: 'http://127.0.0.1:9/other', content_type: 'json' } });
    assert.deepEqual(planWebhook([hook(1), other], wanted), { keep: hook(1), update: false, remove: [] });
    assert.deepEqual(planWebhook([hook(1), hook(2), other], wanted), {
      keep: hook(1),
      update: false,
      remove: [hook(2)],
    });
  });

  it('leaves hooks Landlord did not make, even to the same URL', () => {
    const persons = hook(4, { name: 'my own hook' });
    const slack = hook(5, { type: 'slack', name: 'chat' });
    assert.deepEqual(planWebhook([persons, slack], wanted), { keep: undefined, update: false, remove: [] });
    assert.equal(isLandlordHook(persons), false);
    assert.equal(isLandlordHook(hook(1)), true);
  });

  it('edits a kept hook whose events, content type or state changed', () => {
    for (const changes of [{ active: false }, { events: ['push', 'create'] }, { branch_filter: 'main' }]) {
      assert.equal(planWebhook([hook(1, changes)], wanted).update, true, JSON.stringify(changes));
    }
    const form = hook(1, { config: { url: wanted.url, content_type: 'form' } });
    assert.equal(planWebhook([form], wanted).update, true);
  });

  it('replaces a hook signed with another secret or of another type, and makes one where there is none', () => {
    const older = hook(1, { name: webhookName('secret-zero') });
    assert.deepEqual(planWebhook([older], wanted), { keep: undefined, update: false, remove: [older] });
    const slack = hook(2, { type: 'slack' });
    assert.deepEqual(planWebhook([slack], wanted), { keep: undefined, update: false, remove: [slack] }, "Landlord's");
    assert.deepEqual(planWebhook([], wanted), { keep: undefined, update: false, remove: [] });
  });
});

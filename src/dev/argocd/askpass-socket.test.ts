import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { askPassSocket } from './askpass-socket.ts';

describe('the repo-server askpass socket', () => {
  it('is in the Argo CD folder, so two local Argo CDs never share one', () => {
    assert.equal(
      askPassSocket('/root/.cache/landlord/environments/a/argocd'),
      '/root/.cache/landlord/environments/a/argocd/askpass.sock',
    );
    assert.notEqual(askPassSocket('/srv/a/argocd'), askPassSocket('/srv/b/argocd'));
  });
  it('stays within the length a socket path may have, still one per folder', () => {
    const long = (name: string) => `/${'x'.repeat(100)}/${name}/argocd`;
    assert.ok(Buffer.byteLength(askPassSocket(long('a'))) <= 107);
    assert.notEqual(askPassSocket(long('a')), askPassSocket(long('b')));
  });
});

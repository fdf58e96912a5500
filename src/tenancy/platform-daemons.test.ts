import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlatformDaemon, type PodMeta } from './platform-daemons.ts';

const platform = ['kube-system', 'argocd'];
const daemonSet = [{ kind: 'DaemonSet', controller: true }];
const pod = (namespace: string, extra: PodMeta['metadata'] = {}): PodMeta => ({ metadata: { namespace, ...extra } });

describe('isPlatformDaemon', () => {
  it('excuses DaemonSet and mirror pods of the platform’s namespaces', () => {
    assert.equal(isPlatformDaemon(pod('kube-system', { ownerReferences: daemonSet }), platform), true);
    assert.equal(
      isPlatformDaemon(pod('argocd', { annotations: { 'kubernetes.io/config.mirror': 'x' } }), platform),
      true,
    );
  });

  it('excuses no team’s DaemonSet or mirror pod, and no other pod of the platform', () => {
    assert.equal(isPlatformDaemon(pod('devteam-a', { ownerReferences: daemonSet }), platform), false);
    assert.equal(
      isPlatformDaemon(pod('devteam-a', { annotations: { 'kubernetes.io/config.mirror': 'x' } }), platform),
      false,
    );
    assert.equal(isPlatformDaemon(pod('kube-system'), platform), false);
    const notController = [{ kind: 'DaemonSet', controller: false }];
    assert.equal(isPlatformDaemon(pod('kube-system', { ownerReferences: notController }), platform), false);
  });
});

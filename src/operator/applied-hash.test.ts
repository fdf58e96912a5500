import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Manifest } from '../tenancy/manifest.ts';
import { appliedHashAnnotation, appliedHashOf, desiredHash, withAppliedHash } from './applied-hash.ts';

const policy = (podLabels: Record<string, string>): Manifest => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-dns', namespace: 'devteam-a', annotations: { note: 'kept' } },
  spec: { podSelector: { matchLabels: podLabels } },
});

describe('the applied-hash annotation', () => {
  it('differs when the builders drop a field, so the object is applied again', () => {
    const before = desiredHash(policy({ 'k8s-app': 'kube-dns', tier: 'system' }));
    const after = desiredHash(policy({ 'k8s-app': 'kube-dns' }));
    assert.notEqual(before, after);
    assert.equal(desiredHash(policy({ 'k8s-app': 'kube-dns' })), after, 'the same object, the same hash');
  });

  it("is recorded beside the object's own annotations, which stay, and read back from the live object", () => {
    const desired = policy({ 'k8s-app': 'kube-dns' });
    const applied = withAppliedHash(desired, desiredHash(desired));
    assert.deepEqual(applied.metadata.annotations, { note: 'kept', [appliedHashAnnotation]: desiredHash(desired) });
    assert.equal(desired.metadata.annotations?.[appliedHashAnnotation], undefined, 'the desired object is untouched');
    assert.equal(appliedHashOf(applied), desiredHash(desired));
    assert.equal(appliedHashOf({ metadata: { name: 'never-applied' } }), undefined);
  });
});

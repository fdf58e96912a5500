import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Manifest } from '../tenancy/manifest.ts';
import { exactFieldsPatch, inexactFields } from './exact-fields.ts';

const desired: Manifest = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'default-deny-all', namespace: 'a' },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
};

describe('exact fields', () => {
  it('sees a rule another writer added beside what Landlord set, and nothing on an exact copy', () => {
    const widened = {
      ...desired,
      spec: { ...(desired.spec as object), ingress: [{}] },
      metadata: { resourceVersion: '7' },
    };
    assert.deepEqual(inexactFields(desired, widened, ['spec']), ['spec']);
    assert.deepEqual(inexactFields(desired, { ...desired, metadata: { resourceVersion: '8' } }, ['spec']), []);
  });

  it('replaces the field whole, on the version it judged', () => {
    const widened = { ...desired, spec: { podSelector: {}, ingress: [{}] }, metadata: { resourceVersion: '7' } };
    assert.deepEqual(exactFieldsPatch(desired, widened, ['spec']), [
      { op: 'test', path: '/metadata/resourceVersion', value: '7' },
      { op: 'replace', path: '/spec', value: desired.spec },
    ]);
  });

  it('removes a field Landlord does not set and adds one that was deleted', () => {
    const live = { apiVersion: 'v1', kind: 'X', metadata: { resourceVersion: '1' }, extra: [1], spec: undefined };
    const want: Manifest = { apiVersion: 'v1', kind: 'X', metadata: { name: 'x' }, spec: { a: 1 } };
    assert.deepEqual(exactFieldsPatch(want, live, ['spec', 'extra']), [
      { op: 'test', path: '/metadata/resourceVersion', value: '1' },
      { op: 'add', path: '/spec', value: { a: 1 } },
      { op: 'remove', path: '/extra' },
    ]);
  });
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubernetesObject } from '../kube/object.ts';
import { changesOnlyStatus } from './status-only.ts';

const quota = (resourceVersion: string, used: string, extra: object = {}): KubernetesObject =>
  ({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'q', namespace: 'devteam-a', resourceVersion, labels: { 'landlord.dev/tenant': 't' } },
    spec: { hard: { pods: '50' } },
    status: { hard: { pods: '50' }, used: { pods: used } },
    ...extra,
  }) as KubernetesObject;

it('a change of usage alone is a change of status only', () => {
  assert.equal(changesOnlyStatus(quota('1', '0'), quota('2', '1')), true);
});

it('a change of spec, labels or deletion is not', () => {
  assert.equal(changesOnlyStatus(quota('1', '0'), quota('2', '0', { spec: { hard: { pods: '60' } } })), false);
  const relabelled = quota('2', '0');
  relabelled.metadata = { ...relabelled.metadata, labels: {} };
  assert.equal(changesOnlyStatus(quota('1', '0'), relabelled), false);
  const deleting = quota('2', '0');
  deleting.metadata = { ...deleting.metadata, deletionTimestamp: '2026-11-30T09:00:00Z' };
  assert.equal(changesOnlyStatus(quota('1', '0'), deleting), false);
});

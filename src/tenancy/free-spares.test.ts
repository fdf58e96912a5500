import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { defaultNodePoolSettings as settings } from '../api/node-pool-settings.ts';
import { freeSpareCounts } from './free-spares.ts';

/** What sets a spare node apart from an idle one. */
interface Change {
  labels?: Record<string, string>;
  taints?: [];
  unschedulable?: boolean;
  ready?: 'True' | 'False';
}

/** A spare node of the type, as the local cluster makes them, with changes. */
function spare(name: string, instanceType: string, change: Change = {}): Node {
  return {
    metadata: {
      name,
      labels: {
        'landlord.dev/node-pool': 'spare',
        'node.kubernetes.io/instance-type': instanceType,
        ...change.labels,
      },
    },
    spec: {
      taints: change.taints ?? [{ key: 'landlord.dev/node-pool', value: 'spare', effect: 'NoSchedule' }],
      unschedulable: change.unschedulable,
    },
    status: { conditions: [{ type: 'Ready', status: change.ready ?? 'True' }] },
  };
}

describe('freeSpareCounts', () => {
  it('counts idle spares by instance type, listing every type', () => {
    const nodes = [spare('s1', 'standard'), spare('s2', 'standard'), spare('s3', 'memory-optimized')];
    assert.deepEqual(freeSpareCounts(nodes, settings), [
      { instanceType: 'standard', free: 2 },
      { instanceType: 'compute-optimized', free: 0 },
      { instanceType: 'memory-optimized', free: 1 },
    ]);
  });

  it('leaves out a claimed, owned, cordoned, untainted or NotReady spare', () => {
    const nodes = [
      spare('claimed', 'standard', { labels: { 'landlord.dev/node-pool': 'dedicated' } }),
      spare('owned', 'standard', { labels: { [settings.ownerLabel]: 'devteam-b' } }),
      spare('cordoned', 'standard', { unschedulable: true }),
      spare('untainted', 'standard', { taints: [] }),
      spare('broken', 'standard', { ready: 'False' }),
      spare('free', 'standard'),
    ];
    assert.equal(freeSpareCounts(nodes, settings)[0]?.free, 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { defaultNodePoolSettings as settings } from '../api/node-pool-settings.ts';
import { claimPatch, drainPatch, isClaimedBy, isFreeSpare, keepPatch, planPool, releasePatch } from './node-pool.ts';
import { poolNode, poolRequestB } from '../../test/fixtures/pool-nodes.ts';

const request = poolRequestB;
const now = new Date('2026-11-30T12:00:00Z');
const node = poolNode;
const noPods = () => 0;

describe('planPool', () => {
  it('claims what is missing', () => {
    assert.equal(planPool(request, [node('a')], noPods, now, settings).claim, 1);
  });

  it('gives back the nodes with the fewest pods first', () => {
    const pods: Record<string, number> = { a: 3, b: 0, c: 1 };
    const plan = planPool(
      { ...request, size: 1 },
      [node('a'), node('b'), node('c')],
      (n) => pods[n] ?? 0,
      now,
      settings,
    );
    assert.deepEqual(plan.drain, ['b', 'c']);
    assert.deepEqual(plan.counting, ['a']);
  });

  it('keeps a NotReady node within the grace period, and replaces it after, releasing it only once replaced', () => {
    const recent = node('b', { ready: false, notReadySince: '2026-11-30T11:59:00Z' });
    assert.equal(planPool(request, [node('a'), recent], noPods, now, settings).claim, 0);
    const lost = node('b', { ready: false, notReadySince: '2026-11-30T11:00:00Z' });
    const waiting = planPool(request, [node('a'), lost], noPods, now, settings);
    assert.deepEqual([waiting.claim, waiting.drain, waiting.lost], [1, [], ['b']]);
    const replaced = planPool(request, [node('a'), lost, node('c')], noPods, now, settings);
    assert.deepEqual([replaced.claim, replaced.drain], [0, ['b']]);
  });

  it('moves to another instance type by claiming first, then giving the old nodes back', () => {
    const memory = { ...request, instanceType: 'memory-optimized' as const };
    const before = planPool(memory, [node('a'), node('b')], noPods, now, settings);
    assert.deepEqual([before.claim, before.drain], [2, []]);
    const m = (name: string) => node(name, { instanceType: 'memory-optimized' });
    const after = planPool(memory, [node('a'), node('b'), m('c'), m('d')], noPods, now, settings);
    assert.deepEqual([after.claim, after.drain], [0, ['a', 'b']]);
  });

  it('takes back a draining node before claiming a new one', () => {
    const draining = node('b', { drainingSince: '2026-11-30T11:59:00Z' });
    const plan = planPool(request, [node('a'), draining], noPods, now, settings);
    assert.deepEqual([plan.claim, plan.keep], [0, ['b']]);
  });

  it('gives back every node when the pool is removed', () => {
    assert.deepEqual(planPool(undefined, [node('a'), node('b')], noPods, now, settings).drain, ['a', 'b']);
  });
});

describe('claims and releases', () => {
  const spare: Node = {
    metadata: {
      name: 'spare-01',
      resourceVersion: '42',
      labels: { 'landlord.dev/node-pool': 'spare', 'node.kubernetes.io/instance-type': 'standard', keep: 'me' },
    },
    spec: {
      taints: [
        { key: 'landlord.dev/node-pool', value: 'spare', effect: 'NoSchedule' },
        { key: 'gpu', value: 'yes', effect: 'NoSchedule' },
      ],
    },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };

  it('claims in one write, on the version it read, with kubelet-proof ownership and placement', () => {
    const patch = claimPatch(spare, request, 'uid-tb', settings) as {
      metadata: Record<string, unknown>;
      spec: unknown;
    };
    assert.equal(patch.metadata.resourceVersion, '42');
    assert.deepEqual(patch.metadata.annotations, { 'landlord.dev/claimed-by-uid': 'uid-tb' });
    assert.deepEqual(patch.metadata.labels, {
      nodepool: 'devteam-b',
      tenant: 'devteam-b',
      'landlord.dev/node-pool': 'dedicated',
      'node-restriction.kubernetes.io/landlord-tenant': 'tb',
      'node-restriction.kubernetes.io/nodepool': 'devteam-b',
    });
    assert.deepEqual(patch.spec, {
      taints: [
        { key: 'gpu', value: 'yes', effect: 'NoSchedule' },
        { key: 'dedicated', value: 'devteam-b', effect: 'NoSchedule' },
      ],
    });
  });

  it('releases to the spare pool, keeping what others set', () => {
    const patch = releasePatch(spare, settings) as {
      metadata: { labels: Record<string, unknown>; annotations: Record<string, unknown> };
      spec: unknown;
    };
    assert.equal(patch.metadata.labels['node-restriction.kubernetes.io/landlord-tenant'], null);
    assert.equal(patch.metadata.labels['landlord.dev/node-pool'], 'spare');
    assert.equal(patch.metadata.labels.keep, undefined, 'a label of another writer is not in the patch');
    assert.equal(patch.metadata.annotations['landlord.dev/claimed-by-uid'], null, 'the claim’s UID goes');
    assert.deepEqual(patch.spec, {
      taints: [
        { key: 'gpu', value: 'yes', effect: 'NoSchedule' },
        { key: 'landlord.dev/node-pool', value: 'spare', effect: 'NoSchedule' },
      ],
      unschedulable: null,
    });
  });

  it('hands out only Ready, schedulable, unowned spares of the type', () => {
    assert.equal(isFreeSpare(spare, 'standard', settings), true);
    assert.equal(isFreeSpare(spare, 'memory-optimized', settings), false);
    const labels = { ...spare.metadata?.labels, 'node-restriction.kubernetes.io/landlord-tenant': 'other' };
    assert.equal(isFreeSpare({ ...spare, metadata: { ...spare.metadata, labels } }, 'standard', settings), false);
    const broken = { ...spare, status: { conditions: [{ type: 'Ready', status: 'False' }] } };
    assert.equal(isFreeSpare(broken, 'standard', settings), false);
  });

  /** The spare as a claim's merge patch leaves it. */
  const claimed = (uid: string): Node => {
    const patch = claimPatch(spare, request, uid, settings) as Node;
    const metadata = spare.metadata ?? {};
    return {
      ...spare,
      metadata: {
        ...metadata,
        labels: { ...metadata.labels, ...patch.metadata?.labels },
        annotations: patch.metadata?.annotations,
      },
    };
  };

  it('tells a node the tenant claimed only by the whole mark: ownership label, claimed value and its UID', () => {
    const node = claimed('uid-tb');
    assert.equal(isClaimedBy(node, 'tb', 'uid-tb', settings), true);
    assert.equal(isClaimedBy(node, 'tb', 'uid-of-a-tenant-created-again', settings), false);
    assert.equal(isClaimedBy(node, 'other', 'uid-tb', settings), false);
    const byHand: Node = {
      ...spare,
      metadata: { ...spare.metadata, labels: { 'node-restriction.kubernetes.io/landlord-tenant': 'tb' } },
    };
    assert.equal(isClaimedBy(byHand, 'tb', 'uid-tb', settings), false, 'the ownership label alone');
    const noValue: Node = {
      ...node,
      metadata: { ...node.metadata, labels: { ...node.metadata?.labels, 'landlord.dev/node-pool': 'spare' } },
    };
    assert.equal(isClaimedBy(noValue, 'tb', 'uid-tb', settings), false, 'without the claimed value');
    assert.throws(() => claimPatch(spare, request, '', settings), /no uid/);
  });

  it('takes the placement and people’s labels off while draining, and puts them back when the node is kept', () => {
    const drain = drainPatch(claimed('uid-tb'), now, settings) as Node;
    assert.deepEqual(drain.metadata?.labels, {
      'node-restriction.kubernetes.io/nodepool': null,
      nodepool: null,
      tenant: null,
    });
    assert.equal(drain.spec?.unschedulable, true);
    const keep = keepPatch(claimed('uid-tb'), 'devteam-b', settings) as Node;
    assert.deepEqual(keep.metadata?.labels, {
      'node-restriction.kubernetes.io/nodepool': 'devteam-b',
      nodepool: 'devteam-b',
      tenant: 'devteam-b',
    });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { defaultNodePoolSettings as settings } from '../../api/node-pool-settings.ts';
import { mustMove } from './drain-node.ts';
import { nodeEntries, type PoolPass, poolCondition, poolStatus } from './pool-status.ts';
import { poolNode, poolRequestB } from '../../../test/fixtures/pool-nodes.ts';

const request = poolRequestB;
const node = poolNode;
const pass = (extra: Partial<PoolPass>): PoolPass => ({
  request,
  held: [],
  plan: { claim: 0, drain: [], keep: [], counting: [], lost: [] },
  claimed: [],
  drains: new Map(),
  free: 0,
  ...extra,
});
const outcome = (one: PoolPass) => {
  const entries = nodeEntries(one);
  return {
    entries,
    status: poolStatus(one, entries),
    condition: poolCondition('NodePoolReady', one, entries, settings),
  };
};

describe('status.nodePool and NodePoolReady', () => {
  it('names the nodes held, those just claimed included', () => {
    const one = pass({
      held: [node('spare-06')],
      plan: { ...pass({}).plan, counting: ['spare-06'] },
      claimed: ['spare-03'],
    });
    const { status, condition } = outcome(one);
    assert.equal(condition.status, 'True');
    assert.equal(condition.message, '2 standard node(s): spare-03, spare-06');
    assert.equal(status?.summary, '2/2 standard');
    assert.equal(status?.free, undefined, 'free is only said while the pool waits');
  });

  it('says exactly what is missing when nodes are short: a state, with the count free', () => {
    const one = pass({ held: [node('spare-01')], plan: { ...pass({}).plan, counting: ['spare-01'] } });
    const { status, condition } = outcome({ ...one, request: { ...request, size: 4 } });
    assert.deepEqual(
      [condition.status, condition.reason, condition.message],
      ['False', 'NotEnoughNodes', 'wants 4 standard node(s), holds 1, 0 free'],
    );
    assert.equal(status?.free, 0);
  });

  it('reports a drain past the timeout as DrainBlocked, naming the node and why, never as Ready', () => {
    const drain = {
      released: false,
      since: '2026-11-30T12:00:00Z',
      message: 'pod b/web-1 cannot be evicted: budget',
      stuck: true,
    };
    const one = pass({
      request: { ...request, size: 1 },
      held: [node('spare-01'), node('spare-04', { drainingSince: drain.since })],
      plan: { ...pass({}).plan, counting: ['spare-01'] },
      drains: new Map([['spare-04', drain]]),
    });
    const { entries, condition, status } = outcome(one);
    assert.equal(condition.reason, 'DrainBlocked');
    assert.equal(
      condition.message,
      'drain of spare-04 has not finished after 600 s: pod b/web-1 cannot be evicted: budget',
    );
    assert.deepEqual(entries.find((entry) => entry.name === 'spare-04')?.state, 'Draining');
    assert.equal(status?.summary, '1/1 standard, 1 draining');
  });

  it('lists a NotReady node within the grace period as counting, a lost one as Lost', () => {
    const since = '2026-11-30T12:00:00Z';
    const one = pass({
      held: [node('a', { ready: false, notReadySince: since }), node('b', { ready: false, notReadySince: since })],
      plan: { ...pass({}).plan, counting: ['a'], lost: ['b'] },
    });
    assert.deepEqual(
      nodeEntries(one).map((entry) => [entry.name, entry.state]),
      [
        ['a', 'NotReady'],
        ['b', 'Lost'],
      ],
    );
  });

  it('drops a node released in this pass, and the whole pool once nothing is asked or held', () => {
    const released = { released: true, since: undefined, message: undefined, stuck: false };
    const one = pass({ request: undefined, held: [node('a')], drains: new Map([['a', released]]) });
    const { status, condition } = outcome(one);
    assert.equal(status, undefined);
    assert.equal(condition.reason, 'SharedNodes');
  });
});

describe('which pods a drain moves', () => {
  const platform = ['kube-system', 'landlord-system'];
  const daemonSet = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'd', uid: 'u', controller: true }];
  const mirror = { 'kubernetes.io/config.mirror': 'x' };
  const pod = (extra: Partial<Pod['metadata']>, phase = 'Running'): Pod => ({
    metadata: { name: 'p', namespace: 'devteam-b', ...extra },
    status: { phase },
  });
  it('moves ordinary pods; leaves the platform’s DaemonSet and mirror pods, and finished ones', () => {
    assert.equal(mustMove(pod({}), true, platform), true);
    assert.equal(mustMove(pod({ namespace: 'kube-system', ownerReferences: daemonSet }), true, platform), false);
    assert.equal(mustMove(pod({ namespace: 'kube-system', annotations: mirror }), true, platform), false);
    assert.equal(mustMove(pod({}, 'Succeeded'), true, platform), false);
  });

  it('waits for a team’s DaemonSet and mirror pods: left behind, they would run on the next pool’s node', () => {
    assert.equal(mustMove(pod({ ownerReferences: daemonSet }), true, platform), true);
    assert.equal(mustMove(pod({ annotations: mirror }), true, platform), true);
    assert.equal(mustMove(pod({ namespace: 'default', ownerReferences: daemonSet }), true, platform), true);
  });

  it('waits for a pod terminating on a Ready node, not on one whose kubelet is gone', () => {
    const terminating = pod({ deletionTimestamp: '2026-11-30T12:00:00Z' });
    assert.equal(mustMove(terminating, true, platform), true);
    assert.equal(mustMove(terminating, false, platform), false);
  });
});

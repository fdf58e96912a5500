import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from 'kubernetes-types/core/v1.js';
import { defaultNodePoolSettings as settings } from '../../api/node-pool-settings.ts';
import type { Tenant } from '../../api/tenant.ts';
import type { Informer } from '../../kube/informer.ts';
import { claimableNow } from './claim-order.ts';

const tenant = (name: string, created: string, size: number, extra: Partial<Tenant['status']> = {}): Tenant =>
  ({
    metadata: { name, creationTimestamp: created },
    spec: { teamName: name, nodePool: { size, instanceType: 'standard' } },
    status: extra,
  }) as Tenant;
const owned = (owner: string): Node => ({
  metadata: {
    name: `${owner}-node`,
    labels: { [settings.ownerLabel]: owner, [settings.instanceTypeLabel]: 'standard' },
  },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});
/** Just what claimableNow reads of the informers. */
const view = (tenants: Tenant[], nodes: Node[]) => ({
  tenants: {
    get: (name: string) => tenants.find((one) => one.metadata.name === name),
    list: () => tenants,
  } as unknown as Informer<Tenant>,
  nodes: {
    byIndex: (owner: string) => nodes.filter((node) => node.metadata?.labels?.[settings.ownerLabel] === owner),
  } as unknown as Informer<Node>,
  settings,
});
const request = (name: string, size: number) => ({ tenant: name, team: name, size, instanceType: 'standard' as const });

describe('claims, first come first served', () => {
  const older = tenant('a', '2026-11-30T12:00:00Z', 4);
  const younger = tenant('b', '2026-11-30T12:00:01Z', 4);

  it('serves the older tenant whole, the younger with what is left', () => {
    assert.equal(claimableNow(request('a', 4), 4, 6, view([older, younger], [])), 4);
    assert.equal(claimableNow(request('b', 4), 4, 6, view([older, younger], [])), 2);
  });

  it('counts what the older one already holds', () => {
    const nodes = [owned('a'), { ...owned('a'), metadata: { ...owned('a').metadata, name: 'a-2' } }];
    assert.equal(claimableNow(request('b', 4), 4, 4, view([older, younger], nodes)), 2);
  });

  it('keeps no place for a Failed or departing tenant', () => {
    const failed = tenant('a', '2026-11-30T12:00:00Z', 4, { phase: 'Failed' });
    assert.equal(claimableNow(request('b', 4), 4, 6, view([failed, younger], [])), 4);
    const going = { ...older, metadata: { ...older.metadata, deletionTimestamp: '2026-11-30T12:05:00Z' } };
    assert.equal(claimableNow(request('b', 4), 4, 6, view([going, younger], [])), 4);
  });

  it('owes an older tenant its accepted size, not a larger one held back by the limits', () => {
    const heldBack = {
      ...tenant('a', '2026-11-30T12:00:00Z', 10),
      status: { acceptedSpec: { ...older.spec, nodePool: { size: 1, instanceType: 'standard' } } },
    } as Tenant;
    assert.equal(claimableNow(request('b', 4), 4, 6, view([heldBack, younger], [owned('a')])), 4);
    assert.equal(claimableNow(request('b', 4), 4, 6, view([heldBack, younger], [])), 4, 'owed 1 of 6: 5 left');
    const accepted = {
      ...heldBack,
      status: { acceptedSpec: { ...older.spec, nodePool: { size: 4, instanceType: 'standard' } } },
    } as Tenant;
    assert.equal(claimableNow(request('b', 4), 4, 6, view([accepted, younger], [])), 2, 'the accepted size is owed');
  });

  it('keeps no place for a tenant stuck before its pool, and one for a tenant waiting or not yet tried', () => {
    const stuck = tenant('a', '2026-11-30T12:00:00Z', 4, {
      phase: 'Provisioning',
      conditions: [
        { type: 'NamespacesReady', status: 'False', reason: 'NamespacesFailed', message: 'label value too long' },
        { type: 'NodePoolReady', status: 'Unknown', reason: 'Waiting', message: 'waiting for NamespacesFailed' },
      ],
    } as Partial<Tenant['status']>);
    assert.equal(claimableNow(request('b', 4), 4, 6, view([stuck, younger], [])), 4);
    const waiting = tenant('a', '2026-11-30T12:00:00Z', 4, {
      phase: 'Provisioning',
      conditions: [{ type: 'NodePoolReady', status: 'False', reason: 'NotEnoughNodes', message: 'wants 4' }],
    } as Partial<Tenant['status']>);
    assert.equal(claimableNow(request('b', 4), 4, 6, view([waiting, younger], [])), 2);
    assert.equal(claimableNow(request('b', 4), 4, 6, view([older, younger], [])), 2, 'created, not yet reconciled');
  });
});

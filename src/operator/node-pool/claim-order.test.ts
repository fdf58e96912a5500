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
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedTenant } from '../../../test/fixtures/tenant-objects.ts';
import type { Tenant } from '../../api/tenant.ts';
import { defaultPlatformConfig as platform } from '../../api/platform-config.ts';
import { buildDesiredState } from '../desired-state.ts';
import { gateHouseArgoCd } from './argocd-gate.ts';

const house = (status?: Tenant['status'], services?: { argocd: boolean }) => {
  const tenant = storedTenant((t) => {
    t.spec.isolation = 'vcluster';
    delete t.spec.nodePool;
    if (services) t.spec.services = { ...t.spec.services, ...services };
  });
  return status ? { ...tenant, status } : tenant;
};
const answering = (status: 'True' | 'False') => ({
  type: 'HouseAPIReady',
  status,
  reason: status === 'True' ? 'Answering' : 'NotAnswering',
  message: '',
  lastTransitionTime: '2026-01-01T00:00:00Z',
  observedGeneration: 1,
});
const recorded = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', namespace: 'argocd', uid: 'u1' };
const names = (tenant: Tenant, applicationExists = false) =>
  gateHouseArgoCd(buildDesiredState(tenant, platform), tenant, platform, { applicationExists }).flatMap((part) =>
    part.objects.map((object) => `${object.kind}/${object.metadata.name}`),
  );
const all = (tenant: Tenant) =>
  buildDesiredState(tenant, platform).flatMap((part) =>
    part.objects.map((object) => `${object.kind}/${object.metadata.name}`),
  );

describe('the house’s Argo CD Application is applied only once the house has answered', () => {
  it('is held back from a new house, and only it: the project, registration and vCluster release go ahead', () => {
    const tenant = house();
    assert.deepEqual(
      names(tenant),
      all(tenant).filter((name) => name !== 'Application/argocd-devteam-a'),
    );
    assert.ok(names(tenant).includes('Application/vcluster-devteam-a'));
    assert.ok(names(tenant).includes('Secret/vcluster-devteam-a'));
  });

  it('is held back while the house does not answer yet', () => {
    assert.ok(!names(house({ conditions: [answering('False')] })).includes('Application/argocd-devteam-a'));
  });

  it('is applied once the status says the house answers', () => {
    const tenant = house({ conditions: [answering('True')] });
    assert.deepEqual(names(tenant), all(tenant));
  });

  it('stays once it exists, even when the house stops answering: never pruned by the gate', () => {
    const down = house({ conditions: [answering('False')] });
    assert.ok(names(down, true).includes('Application/argocd-devteam-a'));
    const held = house({ conditions: [answering('False')], heldObjects: [{ ...recorded, name: 'argocd-devteam-a' }] });
    assert.ok(names(held).includes('Application/argocd-devteam-a'));
  });

  it('counts only Landlord’s record of that very Application, not another of the same name elsewhere', () => {
    const elsewhere = house({ heldObjects: [{ ...recorded, namespace: 'other', name: 'argocd-devteam-a' }] });
    assert.ok(!names(elsewhere).includes('Application/argocd-devteam-a'));
    const otherKind = house({ heldObjects: [{ ...recorded, kind: 'AppProject', name: 'argocd-devteam-a' }] });
    assert.ok(!names(otherKind).includes('Application/argocd-devteam-a'));
  });

  it('changes nothing for a house without its own Argo CD, nor for a tenant that is no house', () => {
    const bare = house(undefined, { argocd: false });
    assert.deepEqual(names(bare), all(bare));
    const shared = storedTenant();
    assert.deepEqual(names(shared), all(shared));
  });
});

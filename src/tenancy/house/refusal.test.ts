import assert from 'node:assert/strict';
import type { LooseDocument } from '../../../test/fixtures/tenants.ts';
import { describe, it } from 'node:test';
import { storedTenant } from '../../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig as platform } from '../../api/platform-config.ts';
import { houseRefusal } from './refusal.ts';

const house = (edit: (t: LooseDocument) => void = () => {}) =>
  storedTenant((t) => {
    t.spec.isolation = 'vcluster';
    edit(t);
  });

describe('houseRefusal', () => {
  it('refuses nothing for a namespace tenant or a house the platform can build', () => {
    assert.equal(houseRefusal(storedTenant(), platform), undefined);
    assert.equal(houseRefusal(house(), platform), undefined);
  });

  it('keeps refusing isolation: vcluster where houses are off', () => {
    const off = { ...platform, houses: { ...platform.houses, enabled: false } };
    assert.equal(houseRefusal(house(), off)?.reason, 'IsolationNotAvailable');
  });

  it('names the versions served when the tenant’s is not one of them', () => {
    const refusal = houseRefusal(
      house((t) => (t.spec.kubernetesVersion = '1.30')),
      platform,
    );
    assert.equal(refusal?.reason, 'KubernetesVersionNotServed');
    assert.equal(
      refusal?.message,
      'spec.kubernetesVersion: "1.30" is not served by this platform; use one of 1.35, 1.36',
    );
  });

  it('says how much a quota too small for the control plane needs (a house without its own Argo CD)', () => {
    const refusal = houseRefusal(
      house((t) => {
        t.spec.resourceQuota = { cpu: '1', memory: '1Gi', storage: '10Gi' };
        t.spec.services = { argocd: false };
      }),
      platform,
    );
    assert.equal(refusal?.reason, 'QuotaTooSmallForHouse');
    assert.match(
      refusal?.message ?? '',
      /limits\.memory 4Gi \(the quota gives 2Gi\).*spec\.resourceQuota\.memory: 2Gi/,
    );
  });

  it('counts the team’s own Argo CD too: how much for the control plane, how much for its Argo CD', () => {
    // 2 cores and 2Gi hold the control plane alone (limits 4 and 4Gi at ratio 2), not with the Argo CD beside it.
    const quota = { cpu: '2', memory: '2Gi', storage: '10Gi' };
    const alone = house((t) => {
      t.spec.resourceQuota = quota;
      t.spec.services = { argocd: false };
    });
    assert.equal(houseRefusal(alone, platform), undefined);
    const refusal = houseRefusal(
      house((t) => (t.spec.resourceQuota = quota)),
      platform,
    );
    assert.equal(refusal?.reason, 'QuotaTooSmallForHouse');
    assert.match(
      refusal?.message ?? '',
      /control plane and its Argo CD need .*limits\.cpu 5 \(2 for its control plane and 3 for its Argo CD; the quota gives 4\)/,
    );
    assert.match(refusal?.message ?? '', /limits\.memory 7Gi \(4Gi for its control plane and 3Gi for its Argo CD/);
    assert.match(
      refusal?.message ?? '',
      /ask for at least spec\.resourceQuota\.cpu: 2500m, spec\.resourceQuota\.memory: 3584Mi/,
    );
  });
});

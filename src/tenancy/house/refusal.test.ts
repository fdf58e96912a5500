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

  it('says how much a quota too small for the control plane needs', () => {
    const refusal = houseRefusal(
      house((t) => (t.spec.resourceQuota = { cpu: '1', memory: '1Gi', storage: '10Gi' })),
      platform,
    );
    assert.equal(refusal?.reason, 'QuotaTooSmallForHouse');
    assert.match(
      refusal?.message ?? '',
      /limits\.memory 4Gi \(the quota gives 2Gi\).*spec\.resourceQuota\.memory: 2Gi/,
    );
  });
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig as platform } from '../api/platform-config.ts';
import { refuseBeyondLimits } from './render-limits.ts';

const tenant = (name: string, nodes: number, cpu = '40') =>
  storedTenant((document) => {
    document.metadata.name = name;
    document.spec.teamName = name;
    document.spec.adGroup = 'devteam-a';
    document.spec.resourceQuota.cpu = cpu;
    document.spec.nodePool.size = nodes;
  });

it('render refuses a tenant above a ceiling, and the group beyond its budget, naming the limit', () => {
  assert.doesNotThrow(() => refuseBeyondLimits([tenant('ta', 5), tenant('tb', 5)], platform));
  assert.throws(
    () => refuseBeyondLimits([tenant('ta', 1, '100k')], platform),
    /Tenant ta: spec.resourceQuota.cpu: 100k is above the platform's ceiling of 64 per tenant\nnothing written/,
  );
  assert.throws(
    () => refuseBeyondLimits([tenant('ta', 5), tenant('tb', 5), tenant('tc', 5)], platform),
    /Tenant tc: spec.nodePool.size: 5 node\(s\) would bring group devteam-a to 15 node\(s\), above its budget of 12 node\(s\)/,
  );
});

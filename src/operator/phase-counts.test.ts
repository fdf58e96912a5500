import assert from 'node:assert/strict';
import { it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import type { Tenant } from '../api/tenant.ts';
import { PhaseCounts } from './phase-counts.ts';

const tenant = (name: string, phase?: 'Ready' | 'Failed'): Tenant => {
  const t = storedTenant((document) => (document.metadata.name = name));
  if (phase) t.status = { phase };
  return t;
};

it('counts tenants by phase from add, update and delete events, every phase reported', () => {
  const phases = new PhaseCounts();
  phases.observe({ type: 'add', object: tenant('a') });
  phases.observe({ type: 'add', object: tenant('b') });
  phases.observe({ type: 'update', object: tenant('a', 'Ready'), old: tenant('a') });
  phases.observe({ type: 'resync', object: tenant('b', 'Failed') });
  assert.deepEqual(Object.fromEntries(phases.counts()), {
    Pending: 0,
    Provisioning: 0,
    Ready: 1,
    Failed: 1,
    Terminating: 0,
  });
  phases.observe({ type: 'delete', object: tenant('a', 'Ready') });
  assert.equal(phases.counts().get('Ready'), 0);
});

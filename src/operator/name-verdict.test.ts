import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import type { Tenant } from '../api/tenant.ts';
import { holdsNamesBefore } from './name-verdict.ts';

const tenant = (name: string, created: string, holds = false): Tenant => {
  const t = storedTenant((document) => {
    document.metadata.name = name;
    document.spec.teamName = name;
  });
  t.metadata.creationTimestamp = created;
  if (holds) t.status = { heldObjects: [{ apiVersion: 'v1', kind: 'Namespace', name, uid: `uid-${name}` }] };
  return t;
};

describe('holdsNamesBefore: who keeps the names when two spaces meet', () => {
  it('the older tenant, when neither holds anything yet', () => {
    const [fin, finPayments] = [tenant('fin', '2026-11-30T09:00:01Z'), tenant('fin-payments', '2026-11-30T09:00:00Z')];
    assert.equal(holdsNamesBefore(finPayments, fin), true);
    assert.equal(holdsNamesBefore(fin, finPayments), false);
  });

  it('the name decides a tie within the same second, the same way from either side', () => {
    const [a, b] = [tenant('fin', '2026-11-30T09:00:00Z'), tenant('fin-payments', '2026-11-30T09:00:00Z')];
    assert.equal(holdsNamesBefore(a, b), true);
    assert.equal(holdsNamesBefore(b, a), false);
  });

  it('a tenant already holding its objects keeps them against a newcomer of the same second', () => {
    const provisioned = tenant('fin-payments', '2026-11-30T09:00:00Z', true);
    const newcomer = tenant('fin', '2026-11-30T09:00:00Z');
    assert.equal(holdsNamesBefore(provisioned, newcomer), true);
    assert.equal(holdsNamesBefore(newcomer, provisioned), false);
  });

  it('between two that both hold objects (tenants from before the rule), the older', () => {
    const [older, younger] = [
      tenant('fin', '2026-01-01T00:00:00Z', true),
      tenant('fin-a', '2026-02-01T00:00:00Z', true),
    ];
    assert.equal(holdsNamesBefore(older, younger), true);
    assert.equal(holdsNamesBefore(younger, older), false);
  });
});

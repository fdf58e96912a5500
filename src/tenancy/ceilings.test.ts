import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig as platform } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { budgetHolders, ceilingProblems, judgeLimits } from './ceilings.ts';
import { reviewReasons } from './review-threshold.ts';

/** A tenant of a group, created at a given minute, asking for some CPU; accepted at its spec when told. */
function member(name: string, cpu: string, minute: number, accepted = false): Tenant {
  const tenant = storedTenant((document) => {
    document.metadata.name = name;
    document.spec.teamName = name;
    document.spec.adGroup = 'devteam-a';
    document.spec.resourceQuota.cpu = cpu;
    delete document.spec.nodePool;
  });
  tenant.metadata.creationTimestamp = `2026-11-30T09:${String(minute).padStart(2, '0')}:00Z`;
  if (accepted) tenant.status = { acceptedSpec: structuredClone(tenant.spec) };
  return tenant;
}

describe('the ceilings per tenant', () => {
  it('take the article request (40 cores, 80Gi, 1Ti, 3 nodes) as it is', () => {
    assert.deepEqual(ceilingProblems(storedTenant().spec, platform), []);
  });

  it('refuse cpu 100k naming the field, the value asked and the ceiling', () => {
    const tenant = storedTenant((document) => (document.spec.resourceQuota.cpu = '100k'));
    assert.deepEqual(ceilingProblems(tenant.spec, platform), [
      {
        field: 'spec.resourceQuota.cpu',
        limit: 'ceiling',
        message: "spec.resourceQuota.cpu: 100k is above the platform's ceiling of 64 per tenant",
      },
    ]);
  });

  it('name every resource beyond its ceiling: memory, storage and dedicated nodes', () => {
    const tenant = storedTenant((document) => {
      document.spec.resourceQuota = { cpu: '64', memory: '257Gi', storage: '5Ti' };
      document.spec.nodePool.size = 6;
    });
    const messages = ceilingProblems(tenant.spec, platform).map((problem) => problem.message);
    assert.deepEqual(messages, [
      "spec.resourceQuota.memory: 257Gi is above the platform's ceiling of 256Gi per tenant",
      "spec.resourceQuota.storage: 5Ti is above the platform's ceiling of 4Ti per tenant",
      "spec.nodePool.size: 6 node(s) is above the platform's ceiling of 5 node(s) per tenant",
    ]);
  });

  it('compare quantities, not strings: 64000m is the ceiling, 64001m is above it', () => {
    const at = storedTenant((document) => (document.spec.resourceQuota.cpu = '64000m'));
    const above = storedTenant((document) => (document.spec.resourceQuota.cpu = '64001m'));
    assert.deepEqual(ceilingProblems(at.spec, platform), []);
    assert.equal(ceilingProblems(above.spec, platform).length, 1);
  });
});

describe("a group's budget", () => {
  it('refuses the tenant that would take the group beyond its budget, saying what is held and what is left', () => {
    const others = [member('a1', '64', 1, true), member('a2', '64', 2, true), member('a3', '64', 3, true)];
    others.push(member('a4', '32', 4, true));
    const ceiling = judgeLimits(member('a5', '65', 5), others, platform);
    assert.ok(!ceiling.within);
    assert.equal(ceiling.reason, 'CeilingExceeded', 'the ceiling is judged first');
    const overBudget = judgeLimits(member('a5', '40', 5), others, platform);
    assert.ok(!overBudget.within);
    assert.equal(overBudget.reason, 'BudgetExceeded');
    assert.equal(
      overBudget.message,
      'spec.resourceQuota.cpu: 40 would bring group devteam-a to 264, above its budget of 256 (its other tenants hold 224; at most 32 is left)',
    );
    assert.deepEqual(judgeLimits(member('a5', '32', 5), others, platform), { within: true });
  });

  it("counts a tenant's accepted spec, not a refused change to it", () => {
    const grown = member('a1', '200', 1, true);
    grown.status = { acceptedSpec: { ...grown.spec, resourceQuota: { ...grown.spec.resourceQuota, cpu: '10' } } };
    assert.deepEqual(
      budgetHolders(member('a2', '1', 2), [grown], platform).map((spec) => spec.resourceQuota.cpu),
      ['10'],
    );
  });

  it('counts tenants not yet accepted only when older and within the ceilings: first come, first served', () => {
    const older = member('a1', '60', 1);
    const newer = member('a3', '60', 3);
    const hostile = member('a0', '100k', 0);
    const holders = budgetHolders(member('a2', '1', 2), [older, newer, hostile], platform);
    assert.deepEqual(
      holders.map((spec) => spec.teamName),
      ['a1'],
    );
  });

  it("ignores the tenant's own record and other groups' tenants", () => {
    const self = member('a1', '64', 1, true);
    const stranger = member('b1', '64', 0, true);
    stranger.status = { acceptedSpec: { ...stranger.spec, adGroup: 'devteam-b' } };
    assert.deepEqual(budgetHolders(member('a1', '64', 1), [self, stranger], platform), []);
  });

  it('treats a request not yet created as the newest: every existing tenant of the group counts', () => {
    const request = member('new', '64', 0);
    delete request.metadata.creationTimestamp;
    const full = [member('a1', '64', 1), member('a2', '64', 2), member('a3', '64', 3), member('a4', '64', 4)];
    const verdict = judgeLimits(request, full, platform);
    assert.ok(!verdict.within);
    assert.equal(verdict.reason, 'BudgetExceeded');
  });
});

describe('the review threshold', () => {
  it('lets the article request through and names what goes above it', () => {
    assert.deepEqual(reviewReasons(storedTenant().spec, platform), []);
    const big = storedTenant((document) => {
      document.spec.resourceQuota.cpu = '60';
      document.spec.nodePool.size = 4;
    });
    assert.deepEqual(reviewReasons(big.spec, platform), [
      'spec.resourceQuota.cpu: 60 is above the review threshold of 48',
      'spec.nodePool.size: 4 node(s) is above the review threshold of 3',
    ]);
  });
});

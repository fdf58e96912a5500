import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorBody } from '../../src/portal/errors.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, tenantExists, waitForPhase } from '../support/operator.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';

const { http } = testCluster();
const { platform } = testEnvironment();
startOperator();
const portal = await startTestPortal();

/** What the request form sends for a devteam-a team, with the resources it asks for. */
function request(team: string, edit: (spec: ReturnType<typeof validTenant>['spec']) => void) {
  const { spec } = validTenant(team, team);
  edit(spec);
  return { spec: { ...spec, adGroup: 'devteam-a', ownerEmail: `lead-${team}@financecore.example` } };
}

describe("the portal refuses requests beyond the platform's ceilings and the group's budget", () => {
  it('refuses cpu: 100k from a devteam-a member with a 422 naming the ceiling, creating nothing', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const team = uniqueName('pceil');
    const answer = await arthur.send(
      'POST',
      '/api/v1/tenants',
      request(team, (spec) => (spec.resourceQuota.cpu = '100k')),
    );
    assert.equal(answer.status, 422);
    const { error } = (await answer.json()) as ErrorBody;
    assert.equal(error.code, 'above-ceiling');
    const expected = `spec.resourceQuota.cpu: 100k is above the platform's ceiling of ${platform.tenantCeilings.cpu} per tenant`;
    assert.equal(error.message, expected);
    assert.deepEqual(error.fields, [{ path: 'spec.resourceQuota.cpu', message: expected }]);
    assert.equal(await tenantExists(team), false);
    assert.ok(portal.audit.some((line) => line.result === 'refused' && line.tenant === team));
    const dryRun = await arthur.send(
      'POST',
      '/api/v1/tenants?dryRun=true',
      request(team, (spec) => (spec.nodePool = { size: 9, instanceType: 'standard' })),
    );
    const verdict = (await dryRun.json()) as { valid: boolean; message: string };
    assert.equal(verdict.valid, false, 'the form hears it before sending');
    assert.match(verdict.message, /spec.nodePool.size: 9 node\(s\) is above the platform's ceiling of 5 node\(s\)/);
  });

  it('refuses a request that would take devteam-a beyond its budget, saying what the group holds', async () => {
    const ceiling = platform.tenantCeilings.nodePoolNodes;
    const holders = [uniqueName('hold1'), uniqueName('hold2')];
    // Each on its own instance type: the local cluster's spares hold 7, 7 and 6 of them, not two pools at the ceiling.
    for (const [index, name] of holders.entries()) {
      const document = validTenant(name, name);
      document.spec.adGroup = 'devteam-a';
      document.spec.nodePool = { size: ceiling, instanceType: index ? 'compute-optimized' : 'standard' };
      await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    }
    for (const name of holders) await waitForPhase(name, 'Ready');
    const alice = await PortalApiClient.signIn(portal.url, 'alice');
    const team = uniqueName('pbud');
    const answer = await alice.send(
      'POST',
      '/api/v1/tenants',
      request(team, (spec) => (spec.nodePool = { size: ceiling, instanceType: 'standard' })),
    );
    assert.equal(answer.status, 422);
    const { error } = (await answer.json()) as ErrorBody;
    assert.equal(error.code, 'above-budget');
    const budget = platform.groupBudget.nodePoolNodes;
    assert.match(
      error.message,
      new RegExp(
        `spec.nodePool.size: ${ceiling} node\\(s\\) would bring group devteam-a to ${3 * ceiling} node\\(s\\), above its budget of ${budget} node\\(s\\) \\(its other tenants hold ${2 * ceiling} node\\(s\\); at most ${budget - 2 * ceiling} node\\(s\\) is left\\)`,
      ),
    );
    assert.equal(await tenantExists(team), false);
    const small = await alice.send(
      'POST',
      '/api/v1/tenants',
      request(team, (spec) => (spec.nodePool = { size: budget - 2 * ceiling, instanceType: 'memory-optimized' })),
    );
    assert.equal(small.status, 202, 'what is left of the budget may still be asked for');
    await waitForPhase(team, 'Ready');
  });
});

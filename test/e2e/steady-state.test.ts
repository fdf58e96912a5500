import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TenantOperator } from '../../src/operator/controller.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';

const { http } = testCluster();
// Resync every 200 ms: each tenant is reconciled about 25 times during the quiet period below.
const operator = startOperator({ resyncMs: 200 });
const teams = [uniqueName('calm'), uniqueName('calm')];
after(async () => {
  for (const team of teams) await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
});

async function totals(source: TenantOperator) {
  const writes = (await source.metrics.apiWrites.get()).values.reduce((sum, value) => sum + value.value, 0);
  const reconciles = (await source.metrics.reconciles.get()).values.reduce((sum, value) => sum + value.value, 0);
  return { writes, reconciles };
}

describe('a steady state', () => {
  it('costs no write to the API server, however often tenants are reconciled', async () => {
    for (const team of teams) {
      await http.request({
        method: 'POST',
        path: '/apis/landlord.dev/v1alpha1/tenants',
        body: validTenant(team, team),
      });
    }
    for (const team of teams) await waitForPhase(team, 'Ready');
    await sleep(1000); // let the last writes' watch events come back
    const before = await totals(operator);
    await sleep(5000);
    const afterwards = await totals(operator);
    assert.ok(
      afterwards.reconciles - before.reconciles >= 20,
      `reconciled ${afterwards.reconciles - before.reconciles} times`,
    );
    assert.equal(afterwards.writes - before.writes, 0, 'writes during the quiet period');
  });
});

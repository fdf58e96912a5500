import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { TenantOperator } from '../../src/operator/controller.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
// Resync every 200 ms: the reconciles counted below come within seconds.
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

/** Waits until the operator has reconciled `count` more times than at `from`, returning the totals then. */
async function afterReconciles(from: { reconciles: number }, count: number, what: string) {
  let now = await totals(operator);
  await waitFor(async () => {
    now = await totals(operator);
    return now.reconciles - from.reconciles >= count;
  }, what);
  return now;
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
    // Provisioning is over once a round of reconciles of every tenant wrote nothing (its last writes' watch
    // events come back and are reconciled first); a write on every round never gets there and fails here.
    let quiet = await totals(operator);
    await waitFor(async () => {
      const now = await totals(operator);
      if (now.writes !== quiet.writes) quiet = now;
      return now.reconciles - quiet.reconciles >= 2 * teams.length;
    }, 'a round of reconciles without writes');
    const before = await totals(operator);
    const afterwards = await afterReconciles(before, 20, 'twenty more reconciles');
    assert.equal(
      afterwards.writes - before.writes,
      0,
      `writes during ${afterwards.reconciles - before.reconciles} reconciles`,
    );
  });
});

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { deleteAllTenants } from '../support/cleanup.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { type OperatorProcess, spawnOperator } from '../support/operator-process.ts';
import { waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const created: string[] = [];
after(async () => {
  for (const name of created)
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${name}` });
});

async function createTenant(): Promise<string> {
  const name = uniqueName('ha');
  const document = validTenant(name, name);
  delete document.spec.nodePool;
  await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
  created.push(name);
  return name;
}

describe('two operator replicas', () => {
  it('only the leader writes; when it dies, the other takes over', async () => {
    const replicas = [await spawnOperator('replica-one'), await spawnOperator('replica-two')];
    const leaderOf = async () => {
      const leading: OperatorProcess[] = [];
      for (const replica of replicas) if ((await replica.metric('landlord_leader')) === 1) leading.push(replica);
      return leading;
    };
    await waitFor(async () => (await leaderOf()).length === 1, 'one leader');
    await waitForPhase(await createTenant(), 'Ready');
    const [leader] = await leaderOf();
    const standby = replicas.find((replica) => replica !== leader);
    assert.ok(leader && standby);
    assert.ok((await leader.metric('landlord_api_writes_total')) > 0, 'the leader wrote');
    // Both replicas saw the same events; a standby that acted on them would have counted reconciles by now.
    assert.equal(await standby.metric('landlord_reconcile_total'), 0, 'the standby reconciled nothing');
    assert.equal(await standby.metric('landlord_api_writes_total'), 0, 'the standby wrote nothing');
    assert.equal((await leaderOf()).length, 1, 'still exactly one leader');

    leader.child.kill('SIGKILL');
    const name = await createTenant();
    await waitForPhase(name, 'Ready', 60_000);
    assert.equal(await standby.metric('landlord_leader'), 1, 'the standby leads now');
    assert.ok((await standby.metric('landlord_api_writes_total')) > 0);
    await deleteAllTenants(http);
  });
});

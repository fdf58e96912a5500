import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import { defaultNodePoolSettings as settings } from '../../src/api/node-pool-settings.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { nodeOwner } from '../../src/tenancy/node-pool.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { deleteAllTenants } from '../support/cleanup.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { nodesOf, poolNodes, poolProblems } from '../support/node-pool.ts';
import { waitUntilGone } from '../support/operator.ts';
import { spawnOperator } from '../support/operator-process.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const prefix = uniqueName('pcrash');
/** Five tenants claiming twelve nodes of two types: enough claims in flight to be cut in the middle. */
const pools = [
  { size: 2, instanceType: 'standard' },
  { size: 2, instanceType: 'standard' },
  { size: 3, instanceType: 'standard' },
  { size: 3, instanceType: 'compute-optimized' },
  { size: 2, instanceType: 'compute-optimized' },
] as const;
const teams = pools.map((_, index) => `${prefix}-${index}`);
const live = new Map(teams.map((team) => [team, team]));

describe('an operator killed while tenants claim nodes', () => {
  it('leaves every node wholly one live tenant’s or wholly spare, and converges after a restart', async () => {
    const first = await spawnOperator('pool-crashing');
    await waitFor(async () => (await first.metric('landlord_leader')) === 1, 'the first replica to lead');
    await Promise.all(
      teams.map((team, index) => {
        const document = validTenant(team, team);
        document.spec.nodePool = { ...pools[index] };
        return http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
      }),
    );
    const claimedNow = async () =>
      (await poolNodes(http)).filter((node) => nodeOwner(node, settings)?.startsWith(prefix)).length;
    await waitFor(async () => (await claimedNow()) > 0, 'the first claims', 60_000, 20);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const atCrash = await claimedNow();
    const nodesNow = new Set((await poolNodes(http)).map((node) => nodeOwner(node, settings)));
    assert.ok(atCrash < 12, `killed mid-way (${atCrash}/12 nodes claimed)`);
    assert.deepEqual(await poolProblems(http, live), [], 'right after the kill: no node half-claimed or ownerless');

    // While no operator runs, a tenant holding nodes goes without its teardown (its finalizer removed by hand): its
    // nodes are orphans, which the restarted operator must drain and give back.
    const orphaned = teams.find((team) => !!team && nodesNow.has(team)) as string;
    await http.request({
      method: 'PATCH',
      path: apiPath(tenantResource, { name: orphaned }),
      contentType: 'application/merge-patch+json',
      body: { metadata: { finalizers: null } },
    });
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: orphaned }) });
    await waitUntilGone(orphaned);
    assert.ok((await nodesOf(http, orphaned)).length > 0, `${orphaned} left nodes behind`);
    live.delete(orphaned);

    const second = await spawnOperator('pool-restarted');
    const tenantsNow = async () =>
      (await http.request<{ items: Tenant[] }>({ method: 'GET', path: apiPath(tenantResource) })).items.filter(
        (tenant) => live.has(tenant.metadata.name),
      );
    await waitFor(
      async () => (await tenantsNow()).every((tenant) => tenant.status?.phase === 'Ready'),
      'every tenant Ready after the restart',
      120_000,
    );
    for (const [index, team] of teams.entries()) {
      const expected = live.has(team) ? pools[index]?.size : 0;
      await waitFor(async () => (await nodesOf(http, team)).length === expected, `${team} to hold ${expected} node(s)`);
    }
    assert.deepEqual(await poolProblems(http, live), [], 'the orphans given back, every other node wholly claimed');

    await deleteAllTenants(http);
    assert.deepEqual(await poolProblems(http, new Map()), [], 'every node back in the spare pool');
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  });
});

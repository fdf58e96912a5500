import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { KubernetesObject } from '../../src/kube/object.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { HeldKindTable } from '../../src/operator/held-kinds.ts';
import { tenantConcerns } from '../../src/tenancy/concerns.ts';
import { buildDesiredState } from '../../src/tenancy/desired-state.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { deleteAllTenants } from '../support/cleanup.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { spawnOperator } from '../support/operator-process.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const { platform } = testEnvironment();
const prefix = uniqueName('crash');
const names = Array.from({ length: 40 }, (_, index) => `${prefix}-${index}`);
after(async () => {
  for (const name of names) await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${name}` });
});

const listTenants = async () =>
  (
    await http.request<{ items: Tenant[] }>({ method: 'GET', path: '/apis/landlord.dev/v1alpha1/tenants' })
  ).items.filter((tenant) => tenant.metadata.name.startsWith(prefix));

describe('an operator killed in the middle of provisioning', () => {
  it('converges once started again, with nothing orphaned or duplicated', async () => {
    const first = await spawnOperator('replica-crashing');
    await waitFor(async () => (await first.metric('landlord_leader')) === 1, 'the first replica to lead');
    for (const name of names) {
      const document = validTenant(name, name);
      delete document.spec.nodePool;
      await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    }
    await waitFor(
      async () => (await listTenants()).some((tenant) => tenant.status?.phase === 'Ready'),
      'some progress',
    );
    first.child.kill('SIGKILL');
    const readyAtCrash = (await listTenants()).filter((tenant) => tenant.status?.phase === 'Ready').length;
    assert.ok(readyAtCrash < names.length, `killed mid-way (${readyAtCrash}/${names.length} Ready)`);

    const second = await spawnOperator('replica-restarted');
    await waitFor(
      async () => (await listTenants()).every((tenant) => tenant.status?.phase === 'Ready'),
      'all tenants Ready',
      // Convergence, not speed, is asserted here: the lease's expiry and a loaded CI machine take their time.
      300_000,
    );
    assert.equal(await second.metric('landlord_leader'), 1);

    const tenants = await listTenants();
    const uids = new Map(tenants.map((tenant) => [tenant.metadata.uid, tenant.metadata.name]));
    const kinds = new HeldKindTable(tenantConcerns, 'argocd');
    for (const kind of kinds.all) {
      const objects = (
        await http.request<{ items: KubernetesObject[] }>({
          method: 'GET',
          path: kinds.collectionPath(kind),
          query: { labelSelector: 'landlord.dev/tenant' },
        })
      ).items.filter((object) => object.metadata?.labels?.['landlord.dev/tenant']?.startsWith(prefix));
      const perTenant = new Map<string, number>();
      for (const object of objects) {
        const owner = object.metadata?.ownerReferences?.find((reference) => reference.controller)?.uid ?? '';
        assert.ok(uids.has(owner), `${kind.kind} ${object.metadata?.name} is owned by a live tenant`);
        perTenant.set(owner, (perTenant.get(owner) ?? 0) + 1);
      }
      assert.equal(perTenant.size, names.length, `every tenant has its ${kind.kind}`);
      for (const [uid, count] of perTenant) {
        const tenant = tenants.find((candidate) => candidate.metadata.uid === uid) as Tenant;
        const expected = buildDesiredState(tenant, platform)
          .flatMap((part) => part.objects)
          .filter((object) => object.kind === kind.kind).length;
        assert.equal(count, expected, `${kind.kind} of ${uids.get(uid)}: ${count}, ${expected} built`);
      }
    }
    await deleteAllTenants(http);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    assert.match(second.output(), /released the lease/);
  });
});

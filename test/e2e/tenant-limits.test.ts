import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Tenant, TenantCondition } from '../../src/api/tenant.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
const { platform } = testEnvironment();
startOperator();
const tenantsPath = '/apis/landlord.dev/v1alpha1/tenants';
const created: string[] = [];
after(async () => {
  for (const name of created) await http.send({ method: 'DELETE', path: `${tenantsPath}/${name}` });
});

type Quota = { spec: { hard: Record<string, string> } };
const quotaPath = (team: string) => `/api/v1/namespaces/${team}/resourcequotas/${team}-quota`;
const getTenant = (name: string) => http.request<Tenant>({ method: 'GET', path: `${tenantsPath}/${name}` });
const withinLimits = (tenant: Tenant): TenantCondition | undefined =>
  tenant.status?.conditions?.find((condition) => condition.type === 'WithinLimits');

/** Creates a Tenant as whoever may (an admin, or Argo CD syncing the platform repository) would. */
async function createTenant(name: string, edit: (document: ReturnType<typeof validTenant>) => void = () => {}) {
  const document = validTenant(name, name);
  edit(document);
  await http.request({ method: 'POST', path: tenantsPath, body: document });
  created.push(name);
}

const patchSpec = (name: string, spec: unknown) =>
  http.request({
    method: 'PATCH',
    path: `${tenantsPath}/${name}`,
    body: { spec },
    contentType: 'application/merge-patch+json',
  });

/** Waits until the operator has judged the tenant's current generation and its WithinLimits says `status`. */
async function waitForVerdict(name: string, status: 'True' | 'False'): Promise<Tenant> {
  let tenant: Tenant | undefined;
  await waitFor(
    async () => {
      tenant = await getTenant(name);
      const condition = withinLimits(tenant);
      return (
        tenant.status?.observedGeneration === tenant.metadata.generation &&
        condition?.status === status &&
        condition.observedGeneration === tenant.metadata.generation
      );
    },
    `${name}'s WithinLimits to be ${status}`,
    20_000,
  );
  return tenant as Tenant;
}

describe("the operator holds tenants to the platform's ceilings and their group's budget", () => {
  it('fails a new tenant asking cpu: 100k, naming the ceiling, and applies nothing', async () => {
    const team = uniqueName('ceil');
    await createTenant(team, (document) => (document.spec.resourceQuota.cpu = '100k'));
    const tenant = await waitForPhase(team, 'Failed');
    const condition = withinLimits(tenant);
    assert.equal(condition?.status, 'False');
    assert.equal(condition?.reason, 'CeilingExceeded');
    assert.match(
      condition?.message ?? '',
      new RegExp(
        `spec.resourceQuota.cpu: 100k is above the platform's ceiling of ${platform.tenantCeilings.cpu} per tenant`,
      ),
    );
    const ready = tenant.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.reason, 'CeilingExceeded');
    assert.equal((await http.send({ method: 'GET', path: `/api/v1/namespaces/${team}` })).status, 404);
    assert.deepEqual(tenant.status?.heldObjects ?? [], []);
    assert.equal((tenant.status as { acceptedSpec?: unknown }).acceptedSpec, undefined);
  });

  it('keeps a Ready tenant edited above the ceiling as it was, corrects its drift, and applies it once back within', async () => {
    const team = uniqueName('grow');
    await createTenant(team);
    await waitForPhase(team, 'Ready');
    const before = await http.request<Quota>({ method: 'GET', path: quotaPath(team) });
    assert.equal(before.spec.hard['requests.cpu'], '40');

    await patchSpec(team, { resourceQuota: { cpu: '100k' }, nodePool: null });
    const refused = await waitForVerdict(team, 'False');
    assert.equal(withinLimits(refused)?.reason, 'CeilingExceeded');
    assert.match(
      withinLimits(refused)?.message ?? '',
      /the change is not applied; the tenant keeps its last accepted spec: spec.resourceQuota.cpu: 100k is above/,
    );
    assert.equal(refused.status?.phase, 'Ready', 'the tenant keeps its current state');
    const accepted = (refused.status as { acceptedSpec?: Tenant['spec'] }).acceptedSpec;
    assert.equal(accepted?.resourceQuota.cpu, '40');
    assert.equal(accepted?.nodePool?.size, 1, 'the accepted spec is the last one applied, whole');
    assert.deepEqual((await http.request<Quota>({ method: 'GET', path: quotaPath(team) })).spec.hard, before.spec.hard);
    await waitFor(
      async () => {
        const events = await http.request<{ items: { reason: string; note: string; regarding: { name: string } }[] }>({
          method: 'GET',
          path: '/apis/events.k8s.io/v1/namespaces/default/events',
        });
        return events.items.some(
          (event) => event.regarding.name === team && event.reason === 'CeilingExceeded' && /100k/.test(event.note),
        );
      },
      'a Warning event saying the change was refused',
      10_000,
    );

    // Drift is corrected against the accepted spec, not the refused one.
    await http.request({
      method: 'PATCH',
      path: quotaPath(team),
      body: { spec: { hard: { 'requests.cpu': '100k' } } },
      contentType: 'application/merge-patch+json',
      headers: asBreakGlass,
    });
    await waitFor(
      async () =>
        isDeepStrictEqual(
          (await http.request<Quota>({ method: 'GET', path: quotaPath(team) })).spec.hard,
          before.spec.hard,
        ),
      'the quota to be put back as last accepted',
      10_000,
    );

    await patchSpec(team, { resourceQuota: { cpu: '48' } });
    const applied = await waitForVerdict(team, 'True');
    assert.equal(applied.status?.phase, 'Ready');
    const acceptedNow = (applied.status as { acceptedSpec?: Tenant['spec'] }).acceptedSpec;
    assert.equal(acceptedNow?.resourceQuota.cpu, '48');
    assert.equal(acceptedNow?.nodePool, undefined, 'a field the spec dropped is dropped from the accepted spec');
    await waitFor(
      async () =>
        (await http.request<Quota>({ method: 'GET', path: quotaPath(team) })).spec.hard['requests.cpu'] === '48',
      'the quota to follow the spec within limits',
      10_000,
    );
  });

  it('refuses a tenant that would take its group beyond the budget, and lets it in once the group has room', async () => {
    const group = uniqueName('grp');
    const [first, second, third] = [uniqueName('bud1'), uniqueName('bud2'), uniqueName('bud3')];
    // Each on its own instance type: the local cluster's spares hold 7, 7 and 6 of them, not two pools at the ceiling.
    const inGroup = (nodes: number, instanceType: string) => (document: ReturnType<typeof validTenant>) => {
      document.spec.adGroup = group;
      document.spec.nodePool = { size: nodes, instanceType };
    };
    const budget = platform.groupBudget.nodePoolNodes;
    const ceiling = platform.tenantCeilings.nodePoolNodes;
    assert.ok(2 * ceiling < budget && 3 * ceiling > budget, 'two tenants at the ceiling fit the budget, three do not');
    await createTenant(first, inGroup(ceiling, 'standard'));
    await createTenant(second, inGroup(ceiling, 'compute-optimized'));
    await waitForPhase(first, 'Ready');
    await waitForPhase(second, 'Ready');
    await createTenant(third, inGroup(ceiling, 'memory-optimized'));
    const refused = await waitForPhase(third, 'Failed');
    assert.equal(withinLimits(refused)?.reason, 'BudgetExceeded');
    assert.match(
      withinLimits(refused)?.message ?? '',
      new RegExp(
        `nothing applied: spec.nodePool.size: ${ceiling} node\\(s\\) would bring group ${group} to ${3 * ceiling} node\\(s\\), above its budget of ${budget} node\\(s\\)`,
      ),
    );
    assert.equal((await http.send({ method: 'GET', path: `/api/v1/namespaces/${third}` })).status, 404);

    await http.request({ method: 'DELETE', path: `${tenantsPath}/${first}` });
    await waitUntilGone(first);
    // The group's room is seen at once: the refused tenant is judged again when another of its group goes.
    await waitForPhase(third, 'Ready', 20_000);
  });
});

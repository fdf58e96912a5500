// Red team (issue 12, budgets): five tenants of one directory group, each at the per-tenant cpu ceiling (64), arrive
// at the same instant (as a burst of GitOps files or portal requests would), together 320 cpu against the group's
// budget of 256. The test asserts the operator admits at most the budget: a race between its workers that let all
// five become Ready is a finding.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
startOperator();
const group = uniqueName('rt-budget-group');
const names = Array.from({ length: 5 }, (_, i) => uniqueName(`rt-budget-${i}`));
const tenantsPath = '/apis/landlord.dev/v1alpha1/tenants';
after(async () => {
  for (const name of names) await http.send({ method: 'DELETE', path: `${tenantsPath}/${name}` });
});

describe('red team: a burst of tenants against one group budget', () => {
  it('admits at most 256 cpu of five 64-cpu tenants created at once; the rest Failed naming the budget', async () => {
    await Promise.all(
      names.map((name) => {
        const tenant = validTenant(name, name);
        delete tenant.spec.nodePool;
        tenant.spec.adGroup = group;
        tenant.spec.resourceQuota = { cpu: '64', memory: '64Gi', storage: '100Gi' };
        return http.request({ method: 'POST', path: tenantsPath, body: tenant });
      }),
    );
    const phases = new Map<string, { phase: string; message: string }>();
    await waitFor(
      async () => {
        for (const name of names) {
          const tenant = await http.request<{
            status?: { phase?: string; conditions?: { type: string; status: string; message: string }[] };
          }>({ method: 'GET', path: `${tenantsPath}/${name}` });
          const limits = tenant.status?.conditions?.find((c) => c.type === 'WithinLimits');
          phases.set(name, { phase: tenant.status?.phase ?? '', message: limits?.message ?? '' });
        }
        return [...phases.values()].every(({ phase }) => phase === 'Ready' || phase === 'Failed');
      },
      'every tenant of the burst Ready or Failed',
      60_000,
    ).catch((error: Error) => assert.fail(`${error.message}: ${JSON.stringify([...phases])}`));
    const ready = [...phases.values()].filter(({ phase }) => phase === 'Ready').length;
    assert.ok(ready * 64 <= 256, `FINDING: ${ready} tenants of 64 cpu Ready in group ${group}: ${ready * 64} > 256`);
    const failed = [...phases.values()].filter(({ phase }) => phase === 'Failed');
    assert.equal(failed.length, 1, JSON.stringify([...phases]));
    assert.match(failed[0]?.message ?? '', /budget|group/, JSON.stringify(failed));
  });
});

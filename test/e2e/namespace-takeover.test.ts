import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';

const { http } = testCluster();
startOperator();
const team = uniqueName('squat');
after(async () => {
  await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
  await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${team}` });
});

describe("an existing namespace that is not Landlord's", () => {
  it('is not taken over: the tenant fails and says why, the namespace is untouched', async () => {
    await http.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { metadata: { name: team, labels: { owner: 'someone-else' } } },
    });
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: validTenant(team, team) });
    const tenant = await waitForPhase(team, 'Failed');
    const ready = tenant.status?.conditions?.find((condition) => condition.type === 'Ready');
    assert.equal(ready?.reason, 'NotOurs');
    assert.match(ready?.message ?? '', new RegExp(`Namespace ${team} already exists and is not this tenant's`));
    const namespace = JSON.parse((await http.send({ method: 'GET', path: `/api/v1/namespaces/${team}` })).body);
    assert.deepEqual(namespace.metadata.labels, { owner: 'someone-else', 'kubernetes.io/metadata.name': team });
    assert.equal(namespace.metadata.ownerReferences, undefined);
  });

  it('is not claimed by a second tenant with the same teamName either', async () => {
    const twin = uniqueName('twin');
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: validTenant(twin, team) });
    const tenant = await waitForPhase(twin, 'Failed');
    const ready = tenant.status?.conditions?.find((condition) => condition.type === 'Ready');
    assert.equal(ready?.reason, 'TeamNameTaken');
    await http.request({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${twin}` });
  });
});

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { houseServerURL } from '../../src/tenancy/house-address.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

const teardownSeconds = 10;
const { http } = testCluster();
startOperator({ platform: (platform) => ({ ...platform, houses: { ...platform.houses, teardownSeconds } }) });
const house = uniqueName('hb');
const neighbour = uniqueName('hn');
const tenants = '/apis/landlord.dev/v1alpha1/tenants';
const argocd = testEnvironment().platform.argocd.namespace;
const applications = `/apis/argoproj.io/v1alpha1/namespaces/${argocd}/applications`;
after(() => Promise.all([house, neighbour].map((name) => http.send({ method: 'DELETE', path: `${tenants}/${name}` }))));

const conditionOf = (tenant: Tenant, type: string) => tenant.status?.conditions?.find((c) => c.type === type);

describe('a house’s teardown held back by what is inside it', () => {
  it(`goes on after houses.teardownSeconds (${teardownSeconds} s), says so, and leaves its neighbour alone`, async () => {
    const document = validTenant(house, house);
    document.spec.isolation = 'vcluster';
    delete document.spec.nodePool;
    const other = validTenant(neighbour, neighbour);
    delete other.spec.nodePool;
    await http.request({ method: 'POST', path: tenants, body: document });
    await http.request({ method: 'POST', path: tenants, body: other });
    await waitForPhase(neighbour, 'Ready', 60_000);
    await waitFor(
      async () =>
        conditionOf(await http.request<Tenant>({ method: 'GET', path: `${tenants}/${house}` }), 'ArgoCDReady')
          ?.status === 'True',
      'the house’s objects',
      60_000,
    );
    const tenant = await http.request<Tenant>({ method: 'GET', path: `${tenants}/${house}` });
    // Deployed into the house and held by a finalizer, as Argo CD's cascade is held by one the team left inside.
    await http.request({
      method: 'POST',
      path: applications,
      headers: asBreakGlass,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: `${house}-inside`, finalizers: ['test.landlord.dev/left-inside'] },
        spec: {
          project: `vcluster-${house}`,
          source: {
            repoURL: testEnvironment().platform.houses.chart.repoURL,
            chart: 'vcluster',
            targetRevision: '0.36.1',
          },
          destination: { server: houseServerURL(tenant, testEnvironment().platform), namespace: 'default' },
        },
      },
    });
    const started = Date.now();
    await http.request({ method: 'DELETE', path: `${tenants}/${house}` });
    const messages = new Set<string>();
    await waitFor(
      async () => {
        const answer = await http.send({ method: 'GET', path: `${tenants}/${house}` });
        if (answer.status === 404) return true;
        const message = conditionOf(JSON.parse(answer.body) as Tenant, 'Ready')?.message;
        if (message) messages.add(message);
        return false;
      },
      'the house’s teardown',
      120_000,
    );
    assert.ok(
      [...messages].some(
        (m) => m.includes('gave up waiting') && m.includes(`houses.teardownSeconds ${teardownSeconds}`),
      ),
      [...messages].join('\n'),
    );
    assert.ok(Date.now() - started >= teardownSeconds * 1000, 'it waited the bound before going on');
    assert.equal((await http.send({ method: 'GET', path: `${applications}/${house}-inside` })).status, 404);
    assert.equal(
      (await http.send({ method: 'GET', path: `/api/v1/namespaces/${argocd}/secrets/vcluster-${house}` })).status,
      404,
    );
    // The neighbour keeps everything.
    assert.equal((await waitForPhase(neighbour, 'Ready')).status?.phase, 'Ready');
    assert.equal(
      (await http.send({ method: 'GET', path: `${applications}/application-initializer-${neighbour}` })).status,
      200,
    );
    assert.equal((await http.send({ method: 'GET', path: `/api/v1/namespaces/${neighbour}` })).status, 200);
  });
});

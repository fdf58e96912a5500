import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { createHouse, houseClient, houseVersion } from '../support/house.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// A house created at 1.35 and raised to 1.36 for real: the runner restarts its vCluster with the new Kubernetes, on
// the same data, and nothing created inside is lost. Going down or skipping a minor is the API server's to refuse.
const { http } = testCluster();
startOperator();
const team = uniqueName('hup');
const tenantPath = apiPath(tenantResource, { name: team });
const versions = testEnvironment().platform.houses.kubernetesVersions;
let house: KubeHttp | undefined;

/** Patches spec.kubernetesVersion, returning the API server's answer. */
const setVersion = (version: string) =>
  http.send({
    method: 'PATCH',
    path: tenantPath,
    contentType: 'application/merge-patch+json',
    body: { spec: { kubernetesVersion: version } },
  });

/** The objects made inside the house before the upgrade, still there (fresh client: the certificate may change). */
async function insideObjectsPresent(client: KubeHttp): Promise<void> {
  const namespace = await client.send({ method: 'GET', path: '/api/v1/namespaces/kept' });
  assert.equal(namespace.status, 200, 'the namespace made inside survives');
  const configMap = await client.request<{ data?: Record<string, string> }>({
    method: 'GET',
    path: '/api/v1/namespaces/kept/configmaps/survivor',
  });
  assert.deepEqual(configMap.data, { made: 'before the upgrade' });
}

describe('a house upgraded from 1.35 to 1.36', () => {
  after(async () => {
    house?.close();
    await http.send({ method: 'DELETE', path: tenantPath });
  });

  it('runs 1.35 when asked for 1.35 (status and its own /version), and keeps what is made inside', async () => {
    await createHouse(team, '1.35');
    const tenant = await waitForPhase(team, 'Ready', 600_000);
    assert.equal(tenant.status?.kubernetesVersion, versions['1.35']);
    house = await houseClient(team);
    assert.equal(await houseVersion(house), versions['1.35']);
    await house.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } },
    });
    await house.request({
      method: 'POST',
      path: '/api/v1/namespaces/kept/configmaps',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'survivor' },
        data: { made: 'before the upgrade' },
      },
    });
    await insideObjectsPresent(house);
  });

  it('refuses a jump of two minor versions, naming the field', async () => {
    const refused = await setVersion('1.37');
    assert.equal(refused.status, 422, refused.body);
    assert.match(refused.body, /spec\.kubernetesVersion/);
    assert.match(refused.body, /one minor version at a time/);
  });

  it('runs 1.36 after the Tenant asks for it, with the namespace and ConfigMap made at 1.35', async () => {
    const patched = await setVersion('1.36');
    assert.equal(patched.status, 200, patched.body);
    await waitFor(
      async () => {
        const tenant = await http.request<Tenant>({ method: 'GET', path: tenantPath });
        return tenant.status?.phase === 'Ready' && tenant.status.kubernetesVersion === versions['1.36'];
      },
      `the house to report ${versions['1.36']} and Ready`,
      600_000,
      1000,
    );
    house?.close();
    house = await houseClient(team);
    assert.equal(await houseVersion(house), versions['1.36'], 'the house’s own /version');
    await insideObjectsPresent(house);
  });

  it('refuses a downgrade, naming the field, and keeps running 1.36', async () => {
    const refused = await setVersion('1.35');
    assert.equal(refused.status, 422, refused.body);
    assert.match(refused.body, /spec\.kubernetesVersion/);
    const tenant = await http.request<Tenant>({ method: 'GET', path: tenantPath });
    assert.equal(tenant.spec.kubernetesVersion, '1.36');
    assert.equal(await houseVersion(house as KubeHttp), versions['1.36']);
  });
});

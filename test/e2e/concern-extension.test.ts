import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubernetesObject } from '../../src/kube/object.ts';
import { resources } from '../../src/kube/resources.ts';
import { tenantConcerns } from '../../src/tenancy/concerns.ts';
import { renderTenantFolder } from '../../src/tenancy/gitops-folder.ts';
import { serviceNotesConcern } from '../fixtures/throwaway-concern.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// The one line that adds a concern: the throwaway concern's file plus this list.
const concerns = [...tenantConcerns, serviceNotesConcern];

const { http } = testCluster();
startOperator({ concerns });
const team = uniqueName('extend');
const configMaps = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
const notePath = (service: string) => apiPath(configMaps, { namespace: team, name: `service-${service}` });
const get = async (path: string) => {
  const { status, body } = await http.send({ method: 'GET', path });
  return status === 200 ? (JSON.parse(body) as KubernetesObject & { data?: Record<string, string> }) : undefined;
};

describe('a concern added by one file and one line', () => {
  it('is built and applied, owned by the tenant, and reported as a condition', async () => {
    await http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(team, team) });
    const tenant = await waitForPhase(team, 'Ready');
    for (const service of ['argocd', 'monitoring', 'vault']) {
      const note = await get(notePath(service));
      assert.equal(note?.data?.service, service);
      assert.equal(note?.metadata?.ownerReferences?.[0]?.uid, tenant.metadata.uid, `service-${service} is owned`);
    }
    assert.equal(await get(notePath('istio')), undefined, 'nothing for a service that is off');
    const condition = tenant.status?.conditions?.find((c) => c.type === 'ServiceNotesReady');
    assert.equal(condition?.status, 'True');
    assert.equal(condition?.message, '3 object(s) in place');
  });

  it('is watched: a deleted or edited object comes back as built', async () => {
    const before = await get(notePath('vault'));
    await http.request({ method: 'DELETE', path: notePath('vault') });
    await http.request({
      method: 'PATCH',
      path: notePath('argocd'),
      body: { data: { service: 'tampered' } },
      contentType: 'application/merge-patch+json',
    });
    await waitFor(
      async () => {
        const [vault, argocd] = [await get(notePath('vault')), await get(notePath('argocd'))];
        return (
          vault?.metadata?.uid !== before?.metadata?.uid &&
          vault?.data?.service === 'vault' &&
          argocd?.data?.service === 'argocd'
        );
      },
      'the deleted ConfigMap recreated and the edited one restored',
      15_000,
    );
  });

  it('is pruned: an object the tenant no longer wants is deleted, the namespace stays', async () => {
    await http.request({
      method: 'PATCH',
      path: apiPath(tenantResource, { name: team }),
      body: { spec: { services: { vault: false } } },
      contentType: 'application/merge-patch+json',
    });
    await waitFor(async () => (await get(notePath('vault'))) === undefined, 'service-vault to be pruned', 15_000);
    assert.ok(await get(notePath('monitoring')), 'the others stay');
    assert.ok(await get(apiPath(resources.namespace, { name: team })), 'the namespace stays');
  });

  it('is rendered into the GitOps folder from the same builder', async () => {
    const tenant = await http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name: team }) });
    const folder = renderTenantFolder(tenant, testEnvironment().platform, concerns);
    const text = folder.get(`teams/${team}/service-notes.yaml`);
    assert.ok(text, `rendered files: ${[...folder.keys()].join(', ')}`);
    const rendered = parseAllDocuments(text).map((doc) => doc.toJSON() as KubernetesObject);
    assert.deepEqual(rendered.map((object) => object.metadata?.name).sort(), ['service-argocd', 'service-monitoring']);
    assert.equal(renderTenantFolder(tenant, testEnvironment().platform).has(`teams/${team}/service-notes.yaml`), false);
  });

  it('is torn down with the tenant', async () => {
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
    await waitUntilGone(team);
    assert.equal(await get(notePath('argocd')), undefined);
  });
});

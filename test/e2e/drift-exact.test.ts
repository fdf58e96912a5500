import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { before, describe, it } from 'node:test';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubernetesObject } from '../../src/kube/object.ts';
import { resources } from '../../src/kube/resources.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

type Live = KubernetesObject & Record<string, unknown>;
const { http } = testCluster();
startOperator();
const team = uniqueName('exact');
const argocd = 'argocd';
const kinds = {
  policy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  binding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
  project: { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', plural: 'appprojects', namespaced: true },
};
const paths = {
  denyAll: apiPath(kinds.policy, { namespace: team, name: 'default-deny-all' }),
  binding: apiPath(kinds.binding, { namespace: team, name: `${team}-admins` }),
  project: apiPath(kinds.project, { namespace: argocd, name: team }),
  initializer: apiPath(resources.argoApplication, { namespace: argocd, name: `application-initializer-${team}` }),
  namespace: apiPath(resources.namespace, { name: team }),
  tenant: apiPath(tenantResource, { name: team }),
};
const get = (path: string) => http.request<Live>({ method: 'GET', path });
const plant = (path: string, body: unknown) =>
  http.request({ method: 'PATCH', path, body, contentType: 'application/merge-patch+json', headers: asBreakGlass });
/** Waits until the field is back to exactly what it was before the plant. */
const restored = (path: string, field: string, before: unknown, what: string) =>
  waitFor(async () => isDeepStrictEqual((await get(path))[field], before), what, 15_000);

before(async () => {
  await http.request({ method: 'POST', path: apiPath(tenantResource), body: validTenant(team, team) });
  await waitForPhase(team, 'Ready');
});

describe('drift correction of what Landlord manages whole', () => {
  it('removes rules added beside the deny-all policy (ingress: [{}], egress: [{}])', async () => {
    const before = (await get(paths.denyAll)).spec;
    await plant(paths.denyAll, { spec: { ingress: [{}], egress: [{}] } });
    await restored(paths.denyAll, 'spec', before, 'default-deny-all without the added allow-all rules');
  });

  it('removes a subject added to the team RoleBinding', async () => {
    const before = (await get(paths.binding)).subjects;
    const intruder = { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'everyone-else' };
    await plant(paths.binding, { subjects: [...(before as unknown[]), intruder] });
    await restored(paths.binding, 'subjects', before, 'the RoleBinding with only the team');
  });

  it('removes a wildcard source and a destination added to the AppProject', async () => {
    const before = (await get(paths.project)).spec as Record<string, unknown>;
    await plant(paths.project, {
      spec: {
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
    });
    await restored(paths.project, 'spec', before, 'the AppProject as Landlord built it');
  });

  it("puts back the initializer's sync policy and drops added sync options", async () => {
    const before = (await get(paths.initializer)).spec as Record<string, unknown>;
    await plant(paths.initializer, { spec: { syncPolicy: { automated: null, syncOptions: ['Replace=true'] } } });
    await restored(paths.initializer, 'spec', before, 'the initializer spec as Landlord built it');
  });
});

describe('ownership that cannot be stripped', () => {
  it("restores a namespace's ownerReference and labels, and keeps the tenant Ready (not NotOurs)", async () => {
    const before = await get(paths.namespace);
    const owner = before.metadata?.ownerReferences;
    await plant(paths.namespace, {
      metadata: {
        ownerReferences: null,
        labels: { 'landlord.dev/tenant': null, 'pod-security.kubernetes.io/enforce': 'privileged' },
      },
    });
    await waitFor(
      async () => {
        const now = await get(paths.namespace);
        return (
          isDeepStrictEqual(now.metadata?.ownerReferences, owner) &&
          now.metadata?.labels?.['landlord.dev/tenant'] === team &&
          now.metadata?.labels?.['pod-security.kubernetes.io/enforce'] === 'restricted'
        );
      },
      'the ownerReference, the tenant label and Pod Security restricted back on the namespace',
      15_000,
    );
    const tenant = await http.request<Tenant>({ method: 'GET', path: paths.tenant });
    assert.equal(tenant.status?.phase, 'Ready');
    assert.ok(
      tenant.status?.heldObjects?.some((held) => held.kind === 'Namespace' && held.uid === before.metadata?.uid),
    );
  });

  it('deletes at teardown an object whose label and ownerReference were stripped', async () => {
    await http.request({ method: 'DELETE', path: paths.tenant });
    // Stripped while the teardown runs: only Landlord's record still says the namespace is the tenant's.
    await plant(paths.namespace, {
      metadata: { ownerReferences: null, labels: { 'landlord.dev/tenant': null } },
    }).catch(() => undefined);
    await waitUntilGone(team);
    await waitFor(
      async () => {
        const { status, body } = await http.send({ method: 'GET', path: paths.namespace });
        return status === 404 || JSON.parse(body).metadata.deletionTimestamp !== undefined;
      },
      'the stripped namespace deleted',
      30_000,
    );
  });
});

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { operatorAccount } from '../../src/dev/admission.ts';
import type { KubeApiError, KubeRequest } from '../../src/kube/http.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';

// The operator's credentials stolen: whoever holds them acts as its ServiceAccount. Its RBAC already refuses much;
// the fence refuses what RBAC cannot express (labels, tenant namespaces), and holds when RBAC was widened.
const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
const operator = `system:serviceaccount:${operatorAccount.namespace}:${operatorAccount.name}`;
const asOperator = { 'Impersonate-User': operator };
const tenant = uniqueName('fenced');
const victim = uniqueName('victim');
const managed = { 'app.kubernetes.io/managed-by': 'landlord', 'landlord.dev/tenant': tenant };
const widened = uniqueName('widened-operator');
const crb = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';
after(async () => {
  await http.send({ method: 'DELETE', path: `${crb}/${widened}` });
  await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${tenant}`, headers: asOperator });
  await http.send({ method: 'DELETE', path: `/api/v1/namespaces/${victim}` });
});

const binding = (name: string, role: string) => ({
  metadata: { name, labels: managed },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'attackers' }],
});
const rolebindings = (namespace: string) => `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`;

/** The attacks, as the operator's ServiceAccount, each with what the fence's refusal says. */
const attacks: { what: string; request: KubeRequest; fence: RegExp }[] = [
  {
    what: 'delete a namespace it did not label',
    request: { method: 'DELETE', path: `/api/v1/namespaces/${victim}` },
    fence: new RegExp(`only objects labelled app.kubernetes.io/managed-by=landlord.*namespaces ${victim} is not`),
  },
  {
    what: 'label a namespace that is not its own, to take it over',
    request: {
      method: 'PATCH',
      path: `/api/v1/namespaces/${victim}`,
      body: { metadata: { labels: managed } },
      contentType: 'application/merge-patch+json',
    },
    fence: new RegExp(`only objects labelled app.kubernetes.io/managed-by=landlord.*namespaces ${victim} is not`),
  },
  {
    what: 'create a namespace that is no tenant’s',
    request: {
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { metadata: { name: uniqueName('rogue'), labels: { 'app.kubernetes.io/managed-by': 'landlord' } } },
    },
    fence: /namespace rogue-\S+ must carry label landlord.dev\/tenant/,
  },
  {
    what: 'bind the team role outside tenant namespaces (default)',
    request: { method: 'POST', path: rolebindings('default'), body: binding('escape', 'landlord-team') },
    fence: /writes rolebindings only in tenant namespaces; default is not one/,
  },
  {
    what: 'bind cluster-admin inside a tenant namespace',
    request: { method: 'POST', path: rolebindings(tenant), body: binding('escalate', 'cluster-admin') },
    fence: new RegExp(
      `binds only the ClusterRoles landlord-team, landlord-house-deployer, landlord-house-registrar; refused CREATE of rolebindings ${tenant}/escalate to ClusterRole cluster-admin`,
    ),
  },
  {
    what: 'bind anything cluster-wide',
    request: {
      method: 'POST',
      path: crb,
      body: { ...binding('everywhere', 'landlord-team'), metadata: { name: 'everywhere' } },
    },
    fence: /may not write clusterrolebindings/,
  },
  {
    what: 'put a deny-all NetworkPolicy in kube-system (its label on)',
    request: {
      method: 'POST',
      path: '/apis/networking.k8s.io/v1/namespaces/kube-system/networkpolicies',
      body: {
        metadata: { name: 'blackout', labels: managed },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
    },
    fence: /writes networkpolicies only in tenant namespaces; kube-system is not one/,
  },
  {
    what: "change one of Argo CD's own Secrets",
    request: {
      method: 'PATCH',
      path: `/api/v1/namespaces/${argocdNamespace}/secrets/argocd-secret`,
      body: { metadata: { labels: managed } },
      contentType: 'application/merge-patch+json',
    },
    fence: /only objects labelled app.kubernetes.io\/managed-by=landlord.*secrets argocd\/argocd-secret is not/,
  },
];

const attempt = (request: KubeRequest) => http.request({ ...request, headers: asOperator });

describe('the operator fenced: its credentials are not a cluster-admin’s', () => {
  it('still does its job: a tenant namespace, the team role bound inside, its guards', async () => {
    await http.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: victim } } });
    await attempt({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { metadata: { name: tenant, labels: managed } },
    });
    await attempt({ method: 'POST', path: rolebindings(tenant), body: binding('team', 'landlord-team') });
    await attempt({
      method: 'POST',
      path: `/apis/networking.k8s.io/v1/namespaces/${tenant}/networkpolicies`,
      body: { metadata: { name: 'default-deny-all', labels: managed }, spec: { podSelector: {} } },
    });
  });

  it('is refused each attack with its own RBAC', async () => {
    for (const { what, request } of attacks) {
      await assert.rejects(attempt(request), (error: KubeApiError) => error.status === 403, what);
    }
  });

  it('is refused each attack by the fence, naming it, even with its RBAC widened to cluster-admin', async () => {
    await http.request({
      method: 'POST',
      path: crb,
      body: {
        metadata: { name: widened },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', ...operatorAccount }],
      },
    });
    for (const { what, request, fence } of attacks) {
      await assert.rejects(
        attempt(request),
        (error: KubeApiError) => {
          assert.equal(error.status, 403, `${what}: ${error.message}`);
          assert.match(error.message, /landlord-operator fence/, what);
          assert.match(error.message, fence, what);
          return true;
        },
        what,
      );
    }
    const victimNow = await http.request<{ metadata: { labels?: Record<string, string>; deletionTimestamp?: string } }>(
      {
        method: 'GET',
        path: `/api/v1/namespaces/${victim}`,
      },
    );
    assert.equal(victimNow.metadata.deletionTimestamp, undefined, 'the namespace it did not label stands');
    assert.equal(victimNow.metadata.labels?.['landlord.dev/tenant'], undefined);
  });
});

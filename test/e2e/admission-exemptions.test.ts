import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { operatorAccount } from '../../src/dev/admission.ts';
import type { KubernetesObject } from '../../src/kube/object.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { actor, auditEvents, validationFailure } from '../support/audit-log.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

// No operator runs here: the test writes as the operator's ServiceAccount and lets the cluster's controllers
// (and nothing else) do the rest, so each exemption of the admission policies is seen on its own.
const { http, cluster } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
const asOperator = { 'Impersonate-User': `system:serviceaccount:${operatorAccount.namespace}:${operatorAccount.name}` };
const tenants = '/apis/landlord.dev/v1alpha1/tenants';
const created: string[] = [];
const projectPath = (name: string) => `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects/${name}`;
// Left behind, an orphaned namespace or AppProject would be a finding of the next file's audit.
after(async () => {
  for (const name of created) {
    await http.send({ method: 'DELETE', path: `${tenants}/${name}` });
    for (const path of [`/api/v1/namespaces/${name}`, projectPath(name)]) {
      await http.send({ method: 'DELETE', path, headers: asOperator });
      await waitFor(async () => (await status(path)) === 404, `${path} to be gone`, 60_000);
    }
  }
});

const labels = (tenant: string) => ({ 'app.kubernetes.io/managed-by': 'landlord', 'landlord.dev/tenant': tenant });
const status = async (path: string) => (await http.send({ method: 'GET', path })).status;
const asOperatorPost = (path: string, body: unknown) =>
  http.request({ method: 'POST', path, body, headers: asOperator });

/** A Tenant (no operator picks it up) and, as the operator would make them, a namespace it owns with its guards. */
async function ownedNamespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  created.push(name);
  const document = validTenant(name, name);
  delete document.spec.nodePool;
  const tenant = await http.request<KubernetesObject>({ method: 'POST', path: tenants, body: document });
  const owner = {
    apiVersion: 'landlord.dev/v1alpha1',
    kind: 'Tenant',
    name,
    uid: tenant.metadata?.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  await asOperatorPost('/api/v1/namespaces', { metadata: { name, labels: labels(name), ownerReferences: [owner] } });
  const metadata = { labels: labels(name) };
  await asOperatorPost(`/apis/networking.k8s.io/v1/namespaces/${name}/networkpolicies`, {
    metadata: { ...metadata, name: 'default-deny-all' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  await asOperatorPost(`/api/v1/namespaces/${name}/resourcequotas`, {
    metadata: { ...metadata, name: 'quota' },
    spec: { hard: { pods: '5' } },
  });
  await asOperatorPost(`/api/v1/namespaces/${name}/serviceaccounts`, { metadata: { ...metadata, name: 'access' } });
  await asOperatorPost(`/apis/rbac.authorization.k8s.io/v1/namespaces/${name}/rolebindings`, {
    metadata: { ...metadata, name: 'admins' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'landlord-team' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name }],
  });
  // Owned by the Tenant directly, in Argo CD's namespace: the garbage collector's to delete.
  await asOperatorPost(`/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects`, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { ...metadata, name, ownerReferences: [owner] },
    spec: { sourceRepos: [], destinations: [] },
  });
  return name;
}

describe('what the admission policies let through, each for what it must do', () => {
  it('the quota writers: usage in the quota status follows a pod created in the namespace', async () => {
    const name = await ownedNamespace('quota');
    const pod = {
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'app', image: 'registry.financecore.local/app:1' }] },
    };
    await http.request({ method: 'POST', path: `/api/v1/namespaces/${name}/pods`, body: pod });
    await waitFor(async () => {
      const quota = await http.request<{ status?: { used?: Record<string, string> } }>({
        method: 'GET',
        path: `/api/v1/namespaces/${name}/resourcequotas/quota`,
      });
      return quota.status?.used?.pods === '1';
    }, 'the quota to count the pod');
  });

  it('the garbage collector and the namespace controller: a deleted Tenant takes its namespace and guards along', async () => {
    const name = await ownedNamespace('collected');
    await http.request({ method: 'DELETE', path: `${tenants}/${name}` });
    await waitFor(
      async () => (await status(projectPath(name))) === 404,
      'the garbage collector to delete the AppProject',
    );
    // The namespace goes only once the namespace controller has emptied it of Landlord's guards.
    await waitFor(async () => (await status(`/api/v1/namespaces/${name}`)) === 404, 'the namespace to be gone', 60_000);
  });

  it('the garbage collector, deleting in the foreground: the Tenant goes after its namespace', async () => {
    const name = await ownedNamespace('foreground');
    await http.request({
      method: 'DELETE',
      path: `${tenants}/${name}`,
      body: { propagationPolicy: 'Foreground' },
    });
    await waitFor(async () => (await status(`${tenants}/${name}`)) === 404, 'the Tenant to be gone', 60_000);
    assert.equal(await status(`/api/v1/namespaces/${name}`), 404, 'its namespace went first');
  });

  it('the garbage collector, orphaning: it may drop the ownerReference, nothing else', async () => {
    const name = await ownedNamespace('orphan');
    await http.request({ method: 'DELETE', path: `${tenants}/${name}`, body: { propagationPolicy: 'Orphan' } });
    await waitFor(async () => {
      const namespace = await http.request<KubernetesObject>({ method: 'GET', path: `/api/v1/namespaces/${name}` });
      return namespace.metadata?.ownerReferences === undefined;
    }, 'the ownerReference to be dropped');
    const namespace = await http.request<KubernetesObject>({ method: 'GET', path: `/api/v1/namespaces/${name}` });
    assert.deepEqual(namespace.metadata?.labels?.['landlord.dev/tenant'], name, 'its labels untouched');
  });

  it('refused none of them: the audit log holds no refusal of an exempted writer (it does hold others)', async () => {
    // A refusal made on purpose: the log records refusals, so the check below can fail.
    const name = await ownedNamespace('audited');
    const attempt = await http.send({
      method: 'PATCH',
      path: `/api/v1/namespaces/${name}`,
      body: { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
      contentType: 'application/merge-patch+json',
    });
    assert.equal(attempt.status, 403);
    const controllers = new Set([
      'system:serviceaccount:kube-system:generic-garbage-collector',
      'system:serviceaccount:kube-system:namespace-controller',
      'system:serviceaccount:kube-system:resourcequota-controller',
      'system:apiserver',
      `system:serviceaccount:${operatorAccount.namespace}:${operatorAccount.name}`,
    ]);
    const argoCd = new Set([
      'system:serviceaccount:argocd:argocd-application-controller',
      'system:serviceaccount:argocd:argocd-server',
    ]);
    const refusals = auditEvents(cluster).filter((event) => event.annotations?.[validationFailure]);
    assert.ok(
      refusals.some((event) => event.objectRef?.name === name && event.responseStatus?.code === 403),
      'the refusal made on purpose is in the log',
    );
    // Tests impersonate these identities to attack; the processes themselves never impersonate. Argo CD syncing
    // a team's manifests may be refused; its writes to Landlord's Applications and AppProjects may not.
    const wrongly = refusals.filter(
      (event) =>
        event.impersonatedUser === undefined &&
        (controllers.has(event.user.username) ||
          (argoCd.has(event.user.username) &&
            ['applications', 'appprojects'].includes(event.objectRef?.resource ?? ''))),
    );
    assert.deepEqual(
      wrongly.map(
        (event) => `${actor(event)} ${event.verb} ${event.requestURI}: ${event.annotations?.[validationFailure]}`,
      ),
      [],
    );
  });
});

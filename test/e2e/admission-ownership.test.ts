import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { KubeApiError, KubeRequest } from '../../src/kube/http.ts';
import type { KubernetesObject } from '../../src/kube/object.ts';
import { adminClient } from '../support/argocd-api.ts';
import { type ArgoApplication, getApplication, refreshApplication, waitForApplication } from '../support/argocd.ts';
import { mergeManifests } from '../support/team-repository.ts';
import { type AuditEvent, actor, auditEvents, validationFailure } from '../support/audit-log.ts';
import { subjectMay } from '../support/access-review.ts';
import { asBreakGlass, breakGlassGroup } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { waitFor } from '../support/wait.ts';
import { provisionTeam } from '../support/teams.ts';

const { http, cluster } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
startFactoryOperator();
const team = uniqueName('owned');
// The team's directory group, mirrored on the forge as a team: its members push to the team's repository.
const group = 'devteam-a';
const initializer = `application-initializer-${team}`;

/** A member of the team's directory group, as the API server sees them through impersonation. */
const asMember = { 'Impersonate-User': 'mallory@financecore.example', 'Impersonate-Group': group };
/** Argo CD's application controller, which applies a team's manifests with its own cluster-wide rights. */
const asArgoCd = { 'Impersonate-User': 'system:serviceaccount:argocd:argocd-application-controller' };
const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/rolebindings`;
const incidentBinding = `${rbac}/incident-cluster-admin`;
after(() => http.send({ method: 'DELETE', path: incidentBinding, headers: asBreakGlass }));

const paths = {
  namespace: `/api/v1/namespaces/${team}`,
  denyAll: `/apis/networking.k8s.io/v1/namespaces/${team}/networkpolicies/default-deny-all`,
  quota: `/api/v1/namespaces/${team}/resourcequotas/${team}-quota`,
  limits: `/api/v1/namespaces/${team}/limitranges/${team}-limits`,
  teamBinding: `${rbac}/${team}-admins`,
  application: `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/applications/${initializer}`,
};
const merge = (path: string, body: unknown, headers: Record<string, string>): KubeRequest => ({
  method: 'PATCH',
  path,
  body,
  headers,
  contentType: 'application/merge-patch+json',
});
const get = <T = KubernetesObject>(path: string) => http.request<T>({ method: 'GET', path });

/** Expects the request refused by the API server (403) with a message matching the pattern. */
async function refused(request: KubeRequest, pattern: RegExp): Promise<void> {
  await assert.rejects(http.request(request), (error: KubeApiError) => {
    assert.equal(error.status, 403, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

/** The refusal of the policy guarding Landlord's objects, naming the object and who may change it. */
const managedRefusal = (what: string, by: string) =>
  new RegExp(
    `landlord: ${what} \\(tenant ${team}\\) is managed by Landlord: only system:serviceaccount:landlord-system:landlord-operator may .*landlord:break-glass.*Refused \\w+ by ${by}`,
  );
/** The refusal of the policy guarding tenant namespaces. */
const namespaceRefusal = (by: string) =>
  new RegExp(
    `landlord: namespace ${team} \\(tenant ${team}\\) is managed by Landlord: only system:serviceaccount:landlord-system:landlord-operator may change or delete it.*Refused \\w+ of namespaces ${team} by ${by}`,
  );

/** What a member pushes to the team's repository: the incident's first step, through Git. */
const pushedGrant = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name: 'pushed-cluster-admin' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
};

/** An automated sync of the revision retrying a refused resource with backoff, its operation Running all along. */
const retryingRefusedSync = (revision: string | undefined) => (app: ArgoApplication) => {
  const state = app.status?.operationState;
  const failing = (state?.syncResult?.resources ?? []).some((r) => r.status === 'SyncFailed');
  return revision !== undefined && state?.syncResult?.revision === revision && state.phase === 'Running' && failing;
};

/** Argo CD's controller creating the RoleBinding: as itself or, under sync impersonation, as the team's deployer. */
const argoCdCreating = (name: string) => (event: AuditEvent) =>
  event.objectRef?.resource === 'rolebindings' &&
  event.objectRef.namespace === team &&
  event.objectRef.name === name &&
  // Server-side apply (the initializer's sync option) sends the create as a patch.
  ['create', 'patch'].includes(event.verb ?? '') &&
  event.user.username === 'system:serviceaccount:argocd:argocd-application-controller';

/** What refused a request: the admission policy's annotation, else the API server's own message (RBAC). */
const refusalOf = (event: AuditEvent) =>
  `${event.annotations?.[validationFailure] ?? ''} ${event.responseStatus?.message ?? ''}`;

describe("Landlord's objects cannot be taken away, even by someone holding every right in the namespace", () => {
  it('is set up: a tenant with its repository, its initializer synced by Argo CD', async () => {
    await provisionTeam(team, group);
    await waitForApplication(
      argocdNamespace,
      initializer,
      (app) => app.status?.sync?.status === 'Synced',
      'the initializer synced',
    );
  });

  it('refuses the RoleBinding to cluster-admin that started the incident, from Argo CD and from a cluster admin', async () => {
    const binding = {
      metadata: { name: 'incident-cluster-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    };
    const pattern = new RegExp(
      `in tenant namespace ${team}, a RoleBinding may reference a Role or the ClusterRoles landlord-team, admin, edit or view; incident-cluster-admin references ClusterRole cluster-admin`,
    );
    await refused({ method: 'POST', path: rbac, body: binding, headers: asArgoCd }, pattern);
    await refused({ method: 'POST', path: rbac, body: binding }, pattern);
    // A team may still bind what it holds: view, or a Role of its own.
    const view = { ...binding, metadata: { name: 'readers' }, roleRef: { ...binding.roleRef, name: 'view' } };
    await http.request({ method: 'POST', path: rbac, body: view, headers: asMember });
    await http.request({ method: 'DELETE', path: `${rbac}/readers`, headers: asMember });
    // Only break-glass can still do it: the member gets every right inside the namespace, as in the incident.
    await http.request({ method: 'POST', path: rbac, body: binding, headers: asBreakGlass });
    // The authorizer learns of the binding from its own cache: the attacks below must meet the policies, not RBAC.
    const member = { user: asMember['Impersonate-User'], groups: [group] };
    await waitFor(
      () => subjectMay(http, member, { verb: 'patch', resource: 'namespaces', namespace: team, name: team }),
      'the member to hold every right in the namespace',
      30_000,
    );
  });

  it("refuses the member changing the Namespace: ownerReference, Pod Security, the tenant's or any label, deletion", async () => {
    const by = 'mallory@financecore.example';
    const removeOwner = [{ op: 'remove', path: '/metadata/ownerReferences' }];
    await refused(
      {
        method: 'PATCH',
        path: paths.namespace,
        body: removeOwner,
        headers: asMember,
        contentType: 'application/json-patch+json',
      },
      namespaceRefusal(by),
    );
    const labels = (changes: Record<string, string | null>) => ({ metadata: { labels: changes } });
    await refused(
      merge(paths.namespace, labels({ 'pod-security.kubernetes.io/enforce': 'privileged' }), asMember),
      namespaceRefusal(by),
    );
    await refused(merge(paths.namespace, labels({ 'landlord.dev/tenant': null }), asMember), namespaceRefusal(by));
    // Other teams' NetworkPolicies select namespaces by label: no label may be added either.
    await refused(merge(paths.namespace, labels({ purpose: 'monitoring' }), asMember), namespaceRefusal(by));
    await refused({ method: 'DELETE', path: paths.namespace, headers: asMember }, namespaceRefusal(by));
    const namespace = await get(paths.namespace);
    assert.equal(namespace.metadata?.ownerReferences?.[0]?.kind, 'Tenant', 'the ownerReference is still there');
    assert.equal(namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.equal(namespace.metadata?.labels?.['landlord.dev/tenant'], team);
    assert.equal(namespace.metadata?.deletionTimestamp, undefined);
  });

  it("refuses the member changing or deleting the namespace's guards: network policy, quota and its status, limits, team binding, access account", async () => {
    const by = 'mallory@financecore.example';
    await refused(
      merge(paths.denyAll, { spec: { ingress: [{}], egress: [{}] } }, asMember),
      managedRefusal(`networkpolicies ${team}/default-deny-all`, by),
    );
    await refused(
      { method: 'DELETE', path: paths.denyAll, headers: asMember },
      managedRefusal(`networkpolicies ${team}/default-deny-all`, by),
    );
    await refused(
      merge(paths.quota, { spec: { hard: { 'requests.cpu': '1000' } } }, asMember),
      managedRefusal(`resourcequotas ${team}/${team}-quota`, by),
    );
    await refused(
      merge(`${paths.quota}/status`, { status: { used: { 'requests.cpu': '0' } } }, asMember),
      managedRefusal(`resourcequotas/status ${team}/${team}-quota`, by),
    );
    await refused(
      { method: 'DELETE', path: paths.limits, headers: asMember },
      managedRefusal(`limitranges ${team}/${team}-limits`, by),
    );
    await refused(
      merge(paths.teamBinding, { metadata: { labels: { 'app.kubernetes.io/managed-by': null } } }, asMember),
      managedRefusal(`rolebindings ${team}/${team}-admins`, by),
    );
    await refused(
      { method: 'DELETE', path: paths.teamBinding, headers: asMember },
      managedRefusal(`rolebindings ${team}/${team}-admins`, by),
    );
    // Nor can Landlord's label be forged onto an object of the member's own.
    const forged = {
      metadata: {
        name: 'allow-all',
        labels: { 'app.kubernetes.io/managed-by': 'landlord', 'landlord.dev/tenant': team },
      },
      spec: { podSelector: {}, ingress: [{}], egress: [{}] },
    };
    await refused(
      {
        method: 'POST',
        path: `/apis/networking.k8s.io/v1/namespaces/${team}/networkpolicies`,
        body: forged,
        headers: asMember,
      },
      managedRefusal(`networkpolicies ${team}/allow-all`, by),
    );
    const policy = await get<{ spec: { ingress?: unknown[] } }>(paths.denyAll);
    assert.equal(policy.spec.ingress, undefined, 'default-deny-all still denies all ingress');
  });

  it('refuses the cluster admin too (system:masters is no exemption)', async () => {
    const by = 'kwok-admin';
    await refused(
      {
        method: 'PATCH',
        path: paths.namespace,
        body: [{ op: 'remove', path: '/metadata/ownerReferences' }],
        contentType: 'application/json-patch+json',
      },
      namespaceRefusal(by),
    );
    await refused(
      merge(paths.denyAll, { spec: { ingress: [{}] } }, {}),
      managedRefusal(`networkpolicies ${team}/default-deny-all`, by),
    );
    await refused({ method: 'DELETE', path: paths.quota }, managedRefusal(`resourcequotas ${team}/${team}-quota`, by));
  });

  it("refuses changes to the team's Argo CD Application, but lets anyone ask for a refresh and Argo CD sync it", async () => {
    await refused(
      merge(paths.application, { spec: { syncPolicy: { automated: null } } }, {}),
      /landlord: applications argocd\/application-initializer-\S+ \(tenant \S+\) is managed by Landlord.*Argo CD may change only its status, operation and refresh annotations/,
    );
    await refused(
      { method: 'DELETE', path: paths.application },
      /applications argocd\/application-initializer-\S+ .*is managed by Landlord/,
    );
    await refreshApplication(argocdNamespace, initializer);
    // A sync through Argo CD's API: its server writes the operation, its controller the state (same resource).
    const before = (await getApplication(argocdNamespace, initializer))?.status?.operationState?.startedAt;
    const argocd = await adminClient();
    const sync = await argocd.call(
      'POST',
      `/api/v1/applications/${initializer}/sync?appNamespace=${argocdNamespace}`,
      {},
    );
    assert.equal(sync.status, 200, JSON.stringify(sync.body));
    await waitForApplication(
      argocdNamespace,
      initializer,
      (app: ArgoApplication) =>
        app.status?.operationState?.startedAt !== before && app.status?.operationState?.phase === 'Succeeded',
      'the sync asked through the API to succeed',
    );
  });

  it('refuses the cluster-admin RoleBinding pushed through Git during the sync, which keeps retrying', async () => {
    const revision = await mergeManifests(team, { 'grant.yaml': [pushedGrant] }, 'Give ourselves cluster-admin');
    const refusedSync = await waitForApplication(
      argocdNamespace,
      initializer,
      retryingRefusedSync(revision),
      'the sync to report the refused RoleBinding',
    );
    const failed = refusedSync.status?.operationState?.syncResult?.resources?.find(
      (r) => r.name === pushedGrant.metadata.name,
    );
    assert.equal(failed?.status, 'SyncFailed', JSON.stringify(refusedSync.status?.operationState));
    // The API server's audit log has each refusal: RBAC's escalation check, as Argo CD syncs as the team's
    // deployer (impersonation), or else the policy's.
    const attempts = auditEvents(cluster).filter(argoCdCreating(pushedGrant.metadata.name));
    assert.ok(attempts.length > 0, 'Argo CD tried to create the binding');
    for (const event of attempts) {
      assert.equal(event.responseStatus?.code, 403);
      assert.match(
        refusalOf(event),
        /landlord-tenant-rolebindings|attempting to grant RBAC permissions not currently held/,
      );
    }
    const inCluster = await http.send({ method: 'GET', path: `${rbac}/${pushedGrant.metadata.name}` });
    assert.equal(inCluster.status, 404, 'nothing was bound');
  });

  it("lets Argo CD's server terminate that sync and its controller stop it", async () => {
    const argocd = await adminClient();
    const terminate = await argocd.call(
      'DELETE',
      `/api/v1/applications/${initializer}/operation?appNamespace=${argocdNamespace}`,
    );
    assert.equal(terminate.status, 200, JSON.stringify(terminate.body));
    const stopped = await waitForApplication(
      argocdNamespace,
      initializer,
      (app) => ['Failed', 'Error'].includes(app.status?.operationState?.phase ?? ''),
      'the sync to be terminated',
    );
    assert.match(stopped.status?.operationState?.message ?? '', /terminated/i);
    await mergeManifests(team, { 'grant.yaml': null }, 'Remove the grant');
  });

  it('lets the break-glass group through, and marks each use in the audit log', async () => {
    const note = { metadata: { annotations: { 'landlord.dev/incident': 'INC-1234' } } };
    await http.request(merge(paths.namespace, note, asBreakGlass));
    await http.request(
      merge(paths.namespace, { metadata: { annotations: { 'landlord.dev/incident': null } } }, asBreakGlass),
    );
    const marked = auditEvents(cluster).filter(
      (event) =>
        actor(event) === 'on-call@financecore.example' &&
        event.objectRef?.resource === 'namespaces' &&
        event.objectRef.name === team,
    );
    assert.equal(marked.length, 2, 'both writes are in the audit log');
    for (const event of marked) {
      assert.equal(event.responseStatus?.code, 200);
      assert.equal(event.impersonatedUser?.groups?.includes(breakGlassGroup), true);
      assert.equal(
        event.annotations?.['landlord-break-glass/used'],
        `on-call@financecore.example UPDATE namespaces ${team}`,
      );
    }
  });
});

import { teamRoleName } from '../../src/tenancy/rbac.ts';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { KubeApiError, KubeRequest } from '../../src/kube/http.ts';
import { peopleNamespace } from '../../src/tenancy/person-access.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { addToDirectoryGroup, deleteDirectoryGroup, removeFromDirectoryGroup } from '../support/directory.ts';
import { kubectl } from '../support/kubectl.ts';
import { startOperator, tenantExists, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { portalServiceAccount, startTestPortal } from '../support/portal.ts';
import { waitFor } from '../support/wait.ts';

const { http } = testCluster();
startOperator();
const portal = await startTestPortal();
// A directory group of its own: removing a member here touches no other test's team.
const group = uniqueName('ppl');
addToDirectoryGroup(group, ['alice', 'arthur', 'dave']);
const team = uniqueName('ppa');
const second = uniqueName('ppb');
after(async () => {
  // Other tests read these people's groups whole (the sign-in test): leave the directory as it was.
  deleteDirectoryGroup(group);
  for (const name of [team, second])
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${name}` });
});

/** What the request form sends: the team, owned by alice, for the group. */
function request(name: string) {
  const { spec } = validTenant(name, name);
  return { spec: { ...spec, adGroup: group, ownerEmail: 'alice@financecore.example' } };
}

/** The person's kubeconfig from the portal, written to a 0600 file as a browser download would be. */
async function download(client: PortalApiClient, uid: string, tenant = team): Promise<string> {
  const answer = await client.send('POST', `/api/v1/tenants/${tenant}/kubeconfig`);
  assert.equal(answer.status, 200, await answer.clone().text());
  const file = join(tmpdir(), `${tenant}-${uid}-${Date.now()}-kubeconfig.yaml`);
  writeFileSync(file, await answer.text(), { mode: 0o600 });
  return file;
}

/** Who the API server says the kubeconfig is: SelfSubjectReview, as `kubectl auth whoami` asks it. */
const whoami = async (file: string) =>
  (await kubectl(file, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}')).stdout.trim();
const works = (file: string) =>
  kubectl(file, 'get', 'pods', '-n', team).then(
    () => true,
    () => false,
  );

/** A member of the team's group, through impersonation, as the API server sees them with their own kubeconfig. */
const asMember = { 'Impersonate-User': 'arthur@financecore.example', 'Impersonate-Group': group };
const asPortal = { 'Impersonate-User': portalServiceAccount };
const binding = (namespace: string, name: string, subject: string, role = teamRoleName) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  metadata: { name, namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'ServiceAccount', name: subject, namespace: peopleNamespace }],
});
const createBinding = (body: ReturnType<typeof binding>, headers: Record<string, string>): KubeRequest => ({
  method: 'POST',
  path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${body.metadata.namespace}/rolebindings`,
  body,
  headers,
});

/** Expects the API server to refuse (403), with a message matching the pattern. */
async function refused(request: KubeRequest, pattern: RegExp): Promise<void> {
  await assert.rejects(http.request(request), (error: KubeApiError) => {
    assert.equal(error.status, 403, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("each person's kubeconfig is their own identity, checked against the directory (portal as its ServiceAccount)", () => {
  it('gives two members two identities the API server tells apart (kubectl auth whoami)', async () => {
    const alice = await PortalApiClient.signIn(portal.url, 'alice');
    for (const name of [team, second])
      assert.equal((await alice.send('POST', '/api/v1/tenants', request(name))).status, 202);
    await waitForPhase(team, 'Ready');
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const aliceFile = await download(alice, 'alice');
    const arthurFile = await download(arthur, 'arthur');
    assert.equal(await whoami(aliceFile), `system:serviceaccount:${peopleNamespace}:${team}.alice`);
    assert.equal(await whoami(arthurFile), `system:serviceaccount:${peopleNamespace}:${team}.arthur`);
    assert.ok((await works(aliceFile)) && (await works(arthurFile)), "both act in the team's namespace");
    await assert.rejects(kubectl(arthurFile, 'get', 'pods', '-n', 'kube-system'), /forbidden/i);
    const account = await http.request<{ metadata: { annotations: Record<string, string> } }>({
      method: 'GET',
      path: `/api/v1/namespaces/${peopleNamespace}/serviceaccounts/${team}.arthur`,
    });
    assert.equal(account.metadata.annotations['landlord.dev/directory-username'], 'arthur');
    const issued = portal.audit.filter((line) => line.action === 'issue-kubeconfig' && line.tenant === team);
    assert.deepEqual(
      issued.map((line) => [line.user, line.identity]),
      [
        ['alice', `system:serviceaccount:${peopleNamespace}:${team}.alice`],
        ['arthur', `system:serviceaccount:${peopleNamespace}:${team}.arthur`],
      ],
    );

    // Deleting one person's ServiceAccount cuts off that person alone: bound tokens die with it.
    await http.request({
      method: 'DELETE',
      path: `/api/v1/namespaces/${peopleNamespace}/serviceaccounts/${team}.arthur`,
    });
    await waitFor(async () => !(await works(arthurFile)), "arthur's token refused");
    assert.equal(await works(aliceFile), true, "alice's token still works");
    assert.equal(await works(await download(arthur, 'arthur')), true, 'a new kubeconfig makes a new identity');
  });

  it('gives a member removed from the directory group no new kubeconfig after the next check, and ends the old one', async () => {
    const dave = await PortalApiClient.signIn(portal.url, 'dave');
    const daveFile = await download(dave, 'dave');
    assert.equal(await works(daveFile), true);
    removeFromDirectoryGroup(group, ['dave']);
    // Still signed in, the same session: the portal asks the directory again before issuing.
    const refused = await dave.send('POST', `/api/v1/tenants/${team}/kubeconfig`);
    assert.equal(refused.status, 404, await refused.clone().text());
    await waitFor(async () => !(await works(daveFile)), "dave's earlier token refused");
    const check = portal.audit.find((line) => line.user === 'dave' && line.action === 'group-check');
    assert.deepEqual(check?.lost, [group]);
    assert.equal((await dave.get('/api/v1/tenants')).status, 200, 'dave stays signed in, seeing nothing of the team');
  });

  it("lets no member squat a person binding, remove a teammate's, or touch landlord-people", async () => {
    await refused(
      createBinding(binding(team, 'landlord-person.mallory', `${team}.alice`), asMember),
      /RoleBindings named landlord-person\.\* belong to the portal.*may not create landlord-person\.mallory/,
    );
    await refused(
      {
        method: 'DELETE',
        path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${team}/rolebindings/landlord-person.alice`,
        headers: asMember,
      },
      /belong to the portal.*may not delete landlord-person\.alice/,
    );
    await refused(
      {
        method: 'POST',
        path: `/api/v1/namespaces/${peopleNamespace}/serviceaccounts`,
        body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${team}.mallory` } },
        headers: asMember,
      },
      /forbidden/,
    );
    await refused(
      {
        method: 'POST',
        path: `/api/v1/namespaces/${peopleNamespace}/serviceaccounts/${team}.alice/token`,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
        headers: asMember,
      },
      /forbidden/,
    );
  });

  it("lets the portal's own rights bind only a tenant's person, to the team's role, in that tenant's namespaces", async () => {
    await refused(
      createBinding(binding('kube-system', 'landlord-person.x', `${team}.alice`), asPortal),
      /the portal may only bind a person of the tenant/,
    );
    await refused(
      createBinding(binding(team, 'landlord-person.x', `${second}.alice`), asPortal),
      /the portal may only bind a person of the tenant/,
    );
    await refused(createBinding(binding(team, 'ordinary', `${team}.alice`), asPortal), /the portal may only bind/);
    await refused(
      createBinding(binding(team, 'landlord-person.y', `${team}.alice`, 'cluster-admin'), asPortal),
      /forbidden/,
    );
    await refused(
      {
        method: 'POST',
        path: `/api/v1/namespaces/landlord-system/serviceaccounts/landlord-operator/token`,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
        headers: asPortal,
      },
      /forbidden/,
    );
  });

  it('lets the owner and platform admins decommission, not other members', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const notOwner = await arthur.send('DELETE', `/api/v1/tenants/${team}`, { confirm: team });
    assert.equal(notOwner.status, 403);
    assert.match(
      await notOwner.text(),
      new RegExp(`only the owner of ${team} \\(its spec.ownerEmail\\) and platform admins`),
    );
    assert.ok(await tenantExists(team));
    const carol = await PortalApiClient.signIn(portal.url, 'carol');
    assert.equal((await carol.send('DELETE', `/api/v1/tenants/${second}`, { confirm: second })).status, 202);
    const alice = await PortalApiClient.signIn(portal.url, 'alice');
    assert.equal((await alice.send('DELETE', `/api/v1/tenants/${team}`, { confirm: team })).status, 202);
    await waitUntilGone(second);
    await waitUntilGone(team);
    // Nobody keeps an identity in a decommissioned tenant.
    const left = await http.request<{ items: unknown[] }>({
      method: 'GET',
      path: `/api/v1/namespaces/${peopleNamespace}/serviceaccounts`,
      query: { labelSelector: `landlord.dev/access-tenant=${team}` },
    });
    assert.deepEqual(left.items, []);
    assert.ok(
      portal.audit.some(
        (line) => line.user === 'arthur' && line.action === 'decommission' && line.result === 'refused',
      ),
    );
  });
});

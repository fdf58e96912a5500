import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { tenantResource } from '../../src/api/crd.ts';
import { connectHouseThroughPortal } from '../../src/cli/commands/vcluster-portal.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { KubeHttp } from '../../src/kube/http.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { readHouseAccessData } from '../../src/tenancy/house/access.ts';
import { houseAccessNamespace } from '../../src/tenancy/names.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, uniqueName } from '../support/cluster.ts';
import { addToDirectoryGroup, removeFromDirectoryGroup } from '../support/directory.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { kubectl } from '../support/kubectl.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { portalServiceAccount, startTestPortal } from '../support/portal.ts';
import { waitFor } from '../support/wait.ts';

// Team names of this file only ("pk": portal keys): houses of one name in two clusters would share a loopback address.
const { http, kubeconfig: hostKubeconfig } = testCluster();
startOperator();
const portal = await startTestPortal();
const a = uniqueName('pka');
const b = uniqueName('pkb');
const dir = mkdtempSync(join(tmpdir(), 'portal-house-access-'));
const accessSecret = (team: string) => `/api/v1/namespaces/${houseAccessNamespace}/secrets/house-${team}`;
const asPortal = { 'Impersonate-User': portalServiceAccount };

interface Minter {
  server: string;
  certificateAuthority: string;
  token: string;
  expiresAt: string;
}
/** The operator's minting credential for a house, as the portal reads it. */
async function minter(team: string): Promise<Minter | undefined> {
  const answer = await http.send({ method: 'GET', path: accessSecret(team) });
  if (answer.status !== 200) return undefined;
  return readHouseAccessData((JSON.parse(answer.body) as { data?: Record<string, string> }).data);
}

/** A client of a server with a bearer token, trusting the given CA (PEM) or the host's. */
function withToken(server: string, token: string, ca?: string): KubeHttp {
  const host = loadConnection(hostKubeconfig);
  return new KubeHttp({
    server,
    ca: ca ? Buffer.from(ca) : host.ca,
    insecureSkipTLSVerify: false,
    authHeaders: () => Promise.resolve({ Authorization: `Bearer ${token}` }),
  });
}

/** The portal's kubeconfig for the house, as a browser download writes it. */
async function download(client: PortalApiClient, uid: string, team = a): Promise<{ file: string; text: string }> {
  const answer = await client.send('POST', `/api/v1/tenants/${team}/kubeconfig`);
  const text = await answer.text();
  assert.equal(answer.status, 200, text);
  const file = join(dir, `${team}-${uid}-${Date.now()}.yaml`);
  writeFileSync(file, text, { mode: 0o600 });
  return { file, text };
}

/** The token and server of a kubeconfig the portal gave. */
function credentialsOf(text: string): { token: string; server: string } {
  const config = parse(text) as {
    users: { user: { token: string } }[];
    clusters: { cluster: { server: string } }[];
  };
  return { token: config.users[0]?.user.token ?? '', server: config.clusters[0]?.cluster.server ?? '' };
}

/** The claims of a JWT (the API server's own signature is what makes it worth anything; only read here). */
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number; iat: number };

describe("the portal hands out a house's keys: people's own short-lived tokens inside it, never the admin certificate", () => {
  before(async () => {
    // Each house for one example team's directory group: devteam-b's bob is an outsider to A, dave is in no group.
    await Promise.all([
      createHouse(a, '1.36', (document) => (document.spec.adGroup = 'devteam-a')),
      createHouse(b, '1.36', (document) => (document.spec.adGroup = 'devteam-b')),
    ]);
    await Promise.all([waitForPhase(a, 'Ready', 900_000), waitForPhase(b, 'Ready', 900_000)]);
    await waitFor(async () => (await minter(a)) !== undefined, `Secret house-${a} written by the operator`, 120_000);
    await waitFor(async () => (await minter(b)) !== undefined, `Secret house-${b} written by the operator`, 120_000);
  });
  after(async () => {
    for (const team of [a, b]) await http.send({ method: 'DELETE', path: apiPath(tenantResource, { name: team }) });
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a member a kubeconfig that works with kubectl inside the house as their own ServiceAccount, and expires', async () => {
    const alice = await PortalApiClient.signIn(portal.url, 'alice');
    const { file, text } = await download(alice, 'alice');
    const { token, server } = credentialsOf(text);
    assert.equal(server, (await minter(a))?.server, "the house's own API server");
    assert.doesNotMatch(text, /client-certificate-data|client-key-data/, 'no admin certificate in it');
    assert.match((await kubectl(file, 'get', 'ns', '-o', 'name')).stdout, /namespace\/kube-system/);
    await kubectl(
      file,
      'create',
      'deployment',
      'keys-web',
      '--image=registry.financecore.local/app:1',
      '-n',
      'default',
    );
    assert.match(
      (await kubectl(file, 'get', 'deployment', 'keys-web', '-n', 'default', '-o', 'name')).stdout,
      /keys-web/,
    );
    const whoami = await kubectl(file, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    assert.equal(whoami.stdout.trim(), `system:serviceaccount:landlord-people:${a}.alice`);
    const { exp, iat } = claims(token);
    assert.ok(exp - iat <= 600, `a token of the portal's lifetime (600 s), not ${exp - iat} s`);
    assert.ok(exp * 1000 <= Date.now() + 600_000 + 5000, 'it expires within the lifetime');
    const issued = portal.audit.find((line) => line.action === 'issue-kubeconfig' && line.tenant === a);
    assert.equal(issued?.result, 'ok');
    assert.equal(issued?.identity, `system:serviceaccount:landlord-people:${a}.alice`);
    assert.doesNotMatch(JSON.stringify(portal.audit) + portal.logs.join('\n'), new RegExp(token.slice(-20)));
  });

  it('is useless against the host API server and against another house (401)', async () => {
    const alice = await PortalApiClient.signIn(portal.url, 'alice');
    const { token } = credentialsOf((await download(alice, 'alice')).text);
    const host = withToken(testCluster().http.server.origin, token);
    const otherMinter = await minter(b);
    assert.ok(otherMinter);
    const other = withToken(otherMinter.server, token, otherMinter.certificateAuthority);
    try {
      assert.equal((await host.send({ method: 'GET', path: '/api/v1/namespaces' })).status, 401);
      assert.equal((await other.send({ method: 'GET', path: '/api/v1/namespaces' })).status, 401);
    } finally {
      host.close();
      other.close();
    }
  });

  it('lets `landlord vcluster connect --portal` write the same access for a member, with their portal session', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const session = /landlord_session=([^;]+)/.exec(arthur.jar.header(portal.url))?.[1] ?? '';
    const file = join(dir, 'arthur-kubeconfig');
    writeFileSync(file, 'apiVersion: v1\nkind: Config\ncurrent-context: mine\n', { mode: 0o600 });
    const done = await connectHouseThroughPortal(portal.url, session, a, file);
    assert.equal(done.context, `vcluster-${a}`);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /current-context: mine/, 'current context unchanged');
    assert.doesNotMatch(text, /client-certificate-data|client-key-data/, 'no admin certificate');
    const whoami = await kubectl(
      file,
      '--context',
      `vcluster-${a}`,
      'auth',
      'whoami',
      '-o',
      'jsonpath={.status.userInfo.username}',
    );
    assert.equal(whoami.stdout.trim(), `system:serviceaccount:landlord-people:${a}.arthur`);
    assert.ok(
      portal.audit.some((line) => line.user === 'arthur' && line.action === 'issue-kubeconfig' && line.tenant === a),
    );
    const bob = await PortalApiClient.signIn(portal.url, 'bob');
    const bobSession = /landlord_session=([^;]+)/.exec(bob.jar.header(portal.url))?.[1] ?? '';
    await assert.rejects(
      connectHouseThroughPortal(portal.url, bobSession, a, join(dir, 'bob-kubeconfig')),
      /no house of that team that you can see/,
    );
    await assert.rejects(
      connectHouseThroughPortal(portal.url, 'not-a-session', a, join(dir, 'x')),
      /does not know this session/,
    );
  });

  it('gives a member of another team and a person in no group nothing for the house (the same 404 as no tenant)', async () => {
    for (const uid of ['bob', 'dave']) {
      const person = await PortalApiClient.signIn(portal.url, uid);
      const answer = await person.send('POST', `/api/v1/tenants/${a}/kubeconfig`);
      assert.equal(answer.status, 404, await answer.clone().text());
      assert.doesNotMatch(await answer.text(), /token|server/);
    }
    const house = await houseClient(a);
    try {
      const { items } = await house.request<{ items: { metadata: { name: string } }[] }>({
        method: 'GET',
        path: '/api/v1/namespaces/landlord-people/serviceaccounts',
      });
      assert.deepEqual(
        items.map((item) => item.metadata.name).filter((name) => name !== 'default'),
        [`${a}.alice`, `${a}.arthur`],
        'only the members got an identity in the house',
      );
    } finally {
      house.close();
    }
  });

  it("cuts a member who leaves the team's group off inside the house at the portal's next group check", async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const { text } = await download(arthur, 'arthur');
    const { token, server } = credentialsOf(text);
    const inHouse = withToken(server, token, (await minter(a))?.certificateAuthority);
    try {
      assert.equal((await inHouse.send({ method: 'GET', path: '/api/v1/namespaces' })).status, 200);
      removeFromDirectoryGroup('devteam-a', ['arthur']);
      // Still signed in, the same session: the portal asks the directory again before issuing, and revokes.
      const refused = await arthur.send('POST', `/api/v1/tenants/${a}/kubeconfig`);
      assert.equal(refused.status, 404, await refused.clone().text());
      await waitFor(
        async () => (await inHouse.send({ method: 'GET', path: '/api/v1/namespaces' })).status === 401,
        "arthur's earlier token refused inside the house, well before it expires",
      );
    } finally {
      inHouse.close();
      // Other tests sign arthur in as a member of devteam-a.
      addToDirectoryGroup('devteam-a', ['arthur']);
    }
  });

  it("lets the portal's minting token create people's tokens in the house and nothing else, and nothing on the host", async () => {
    const held = await minter(a);
    assert.ok(held);
    const inHouse = withToken(held.server, held.token, held.certificateAuthority);
    const onHost = withToken(testCluster().http.server.origin, held.token);
    try {
      const account = {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: `${a}.probe`, namespace: 'landlord-people' },
      };
      const created = await inHouse.send({
        method: 'POST',
        path: '/api/v1/namespaces/landlord-people/serviceaccounts',
        body: account,
      });
      assert.equal(created.status, 201, created.body);
      const token = await inHouse.send({
        method: 'POST',
        path: `/api/v1/namespaces/landlord-people/serviceaccounts/${a}.probe/token`,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
      });
      assert.equal(token.status, 201, 'it mints a person’s token');
      for (const [method, path] of [
        ['GET', '/api/v1/secrets'],
        ['GET', '/api/v1/namespaces/kube-system/secrets'],
        ['GET', '/api/v1/namespaces/landlord-people/serviceaccounts'],
        ['DELETE', '/api/v1/namespaces/kube-system/serviceaccounts/default'],
        ['DELETE', '/api/v1/namespaces/default'],
        ['GET', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings'],
      ] as const)
        assert.equal((await inHouse.send({ method, path })).status, 403, `${method} ${path} inside the house`);
      const binding = await inHouse.send({
        method: 'POST',
        path: '/apis/rbac.authorization.k8s.io/v1/namespaces/landlord-people/rolebindings',
        body: {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'grab' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'ServiceAccount', name: 'landlord-portal', namespace: 'landlord-access' }],
        },
      });
      assert.equal(binding.status, 403, 'no binding of its own');
      // Deleting a person's identity there is its other right (a person who leaves the team's group).
      const deleted = await inHouse.send({
        method: 'DELETE',
        path: `/api/v1/namespaces/landlord-people/serviceaccounts/${a}.probe`,
      });
      assert.equal(deleted.status, 200, deleted.body);
      for (const path of ['/api/v1/namespaces', `/api/v1/namespaces/vcluster-${a}/secrets/vc-${a}`])
        assert.equal((await onHost.send({ method: 'GET', path })).status, 401, `${path} on the host`);
    } finally {
      inHouse.close();
      onHost.close();
    }
  });

  it("keeps the portal's own ServiceAccount off the admin certificate, and to reading the minting Secrets by name", async () => {
    for (const path of [
      `/api/v1/namespaces/vcluster-${a}/secrets/vc-${a}`,
      `/api/v1/namespaces/vcluster-${a}/secrets`,
      `/api/v1/namespaces/${houseAccessNamespace}/secrets`,
    ])
      assert.equal((await http.send({ method: 'GET', path, headers: asPortal })).status, 403, path);
    assert.equal((await http.send({ method: 'GET', path: accessSecret(a), headers: asPortal })).status, 200);
    assert.equal((await http.send({ method: 'DELETE', path: accessSecret(a), headers: asPortal })).status, 403);
    const secret = await http.request<{ metadata: { ownerReferences?: { kind: string; name: string }[] } }>({
      method: 'GET',
      path: accessSecret(a),
    });
    assert.deepEqual(
      secret.metadata.ownerReferences?.map((owner) => `${owner.kind}/${owner.name}`),
      [`Tenant/${a}`],
      'owned by the Tenant: it goes with it',
    );
  });

  it('renews the minting token before it expires: an expiry near at hand is replaced by a fresh token', async () => {
    const before = await minter(a);
    assert.ok(before);
    const soon = new Date(Date.now() + 60_000).toISOString();
    await http.request({
      method: 'PATCH',
      path: accessSecret(a),
      body: { data: { expiresAt: Buffer.from(soon).toString('base64') } },
      contentType: 'application/merge-patch+json',
      headers: asBreakGlass,
    });
    let renewed: Minter | undefined;
    await waitFor(
      async () => {
        renewed = await minter(a);
        return renewed !== undefined && renewed.expiresAt !== soon;
      },
      `the operator to renew Secret house-${a}`,
      90_000,
    );
    assert.ok(renewed);
    assert.notEqual(renewed.token, before.token, 'a new token');
    const left = Date.parse(renewed.expiresAt) - Date.now();
    assert.ok(left > 50 * 60_000 && left <= 3600_000, `about an hour left, not ${left} ms`);
    const alice = await PortalApiClient.signIn(portal.url, 'alice');
    const { file } = await download(alice, 'alice');
    assert.match((await kubectl(file, 'get', 'ns', '-o', 'name')).stdout, /namespace\/default/);
  });

  it('removes the minting Secret with the house on decommission', async () => {
    await http.request({ method: 'DELETE', path: apiPath(tenantResource, { name: a }) });
    await waitUntilGone(a, 600_000);
    assert.equal((await http.send({ method: 'GET', path: accessSecret(a) })).status, 404);
  });
});

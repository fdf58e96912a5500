import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { adminClient, ArgoCdClient, memberClient } from '../support/argocd-api.ts';
import { asBreakGlass } from '../support/break-glass.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { startFactoryOperator } from '../support/git-factory.ts';
import { provisionTeam } from '../support/teams.ts';
import { waitFor } from '../support/wait.ts';

// Issue 12: an Argo CD project token was created with no expiry. A team's project role carries no token the
// platform did not issue: the team cannot create one, and one planted anyway (break-glass) is removed.
const { http } = testCluster();
const argocdNamespace = testEnvironment().platform.argocd.namespace;
startFactoryOperator();
const team = uniqueName('tokens');
const control = uniqueName('control');
const projects = `/apis/argoproj.io/v1alpha1/namespaces/${argocdNamespace}/appprojects`;
after(async () => {
  await http.send({ method: 'DELETE', path: `${projects}/${control}` });
});

interface Project {
  spec: { roles?: { name: string; jwtTokens?: unknown[] }[] };
  status?: { jwtTokensByRole?: Record<string, { items?: unknown[] }> };
}
const getProject = (name: string) => http.request<Project>({ method: 'GET', path: `${projects}/${name}` });
const tokensIn = (project: Project) => [
  ...(project.spec.roles ?? []).flatMap((role) => role.jwtTokens ?? []),
  ...Object.values(project.status?.jwtTokensByRole ?? {}).flatMap((entry) => entry.items ?? []),
];

/** A project token as Argo CD's API server signs one (HS256 with its server.secretkey), without an expiry. */
async function forgeProjectToken(project: string, role: string): Promise<{ token: string; iat: number; id: string }> {
  const secret = await http.request<{ data: Record<string, string> }>({
    method: 'GET',
    path: `/api/v1/namespaces/${argocdNamespace}/secrets/argocd-secret`,
  });
  const key = Buffer.from(secret.data['server.secretkey'] ?? '', 'base64');
  const iat = Math.floor(Date.now() / 1000) - 5;
  const id = randomUUID();
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ iat, iss: 'argocd', nbf: iat, sub: `proj:${project}:${role}`, jti: id })}`;
  const signature = createHmac('sha256', key).update(unsigned).digest('base64url');
  return { token: `${unsigned}.${signature}`, iat, id };
}

/** Puts the token into the project's role, where Argo CD's API writes it (spec and status). */
async function plant(project: string, role: { name: string }, entry: { iat: number; id: string }, roles: unknown[]) {
  await http.request({
    method: 'PATCH',
    path: `${projects}/${project}`,
    headers: asBreakGlass,
    contentType: 'application/merge-patch+json',
    body: {
      spec: { roles: roles.map((each) => (each === role ? { ...role, jwtTokens: [entry] } : each)) },
      status: { jwtTokensByRole: { [role.name]: { items: [entry] } } },
    },
  });
}

const listApplications = (client: ArgoCdClient) => client.call('GET', '/api/v1/applications');

describe('Argo CD project roles carry no token the platform did not issue', () => {
  it('is set up: a tenant', async () => {
    await provisionTeam(team, 'devteam-a');
    assert.deepEqual(tokensIn(await getProject(team)), []);
  });

  // Argo CD lets a member of a role's groups create tokens for that role whatever the RBAC says
  // (server/project/project.go, createToken: jwtutil.IsMember): what refuses it is the API server, which lets
  // only the operator change a tenant's AppProject (deploy/admission/argocd-objects.yaml).
  it("refuses a member creating a token for the team's project role, and hands out none", async () => {
    const alice = await memberClient('alice', []);
    const created = await alice.call('POST', `/api/v1/projects/${team}/roles/team/token`, {
      project: team,
      role: 'team',
      expiresIn: 0,
    });
    assert.equal(created.status, 403, JSON.stringify(created.body));
    assert.match(
      JSON.stringify(created.body),
      /is managed by Landlord: only system:serviceaccount:landlord-system:landlord-operator may create, change or delete it.*Refused UPDATE by system:serviceaccount:argocd:argocd-server/,
    );
    assert.doesNotMatch(JSON.stringify(created.body), /"token"/);
    assert.deepEqual(tokensIn(await getProject(team)), []);
  });

  it("refuses even Argo CD's admin: the project is Landlord's, Argo CD may not change it", async () => {
    const admin = await adminClient();
    const created = await admin.call('POST', `/api/v1/projects/${team}/roles/team/token`, {
      project: team,
      role: 'team',
      expiresIn: 0,
    });
    assert.notEqual(created.status, 200, JSON.stringify(created.body));
    assert.match(JSON.stringify(created.body), /managed by Landlord/);
    assert.deepEqual(tokensIn(await getProject(team)), []);
  });

  it('a planted token works on a project Landlord does not manage (the forgery is sound)', async () => {
    const role = { name: 'ci', policies: [`p, proj:${control}:ci, applications, get, ${control}/*, allow`] };
    await http.request({
      method: 'POST',
      path: projects,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { name: control },
        spec: { sourceRepos: [], destinations: [], roles: [role] },
      },
    });
    const forged = await forgeProjectToken(control, 'ci');
    await plant(control, role, forged, [role]);
    await waitFor(
      async () => (await listApplications(new ArgoCdClient(forged.token))).status === 200,
      'Argo CD to accept the planted token',
    );
  });

  it("removes a token planted in the team's project role (break-glass), and Argo CD refuses it then", async () => {
    const project = await getProject(team);
    const roles = project.spec.roles ?? [];
    const role = roles.find((each) => each.name === 'team');
    assert.ok(role, 'the team role');
    const forged = await forgeProjectToken(team, 'team');
    await plant(team, role, forged, roles);
    await waitFor(async () => tokensIn(await getProject(team)).length === 0, 'the operator to remove the token');
    await waitFor(
      async () => (await listApplications(new ArgoCdClient(forged.token))).status === 401,
      'Argo CD to refuse the removed token',
    );
    const after = await getProject(team);
    assert.deepEqual(
      after.spec.roles?.map((each) => each.name),
      ['team'],
      'the role itself stays',
    );
  });
});

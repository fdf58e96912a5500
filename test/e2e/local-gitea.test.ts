import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { environmentDir } from '../../src/dev/cluster/local-cluster.ts';
import { forgeAdminUser } from '../../src/dev/forge/forge-names.ts';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { giteaDir, giteaUp } from '../../src/dev/forge/gitea-lifecycle.ts';
import { exampleDirectory } from '../../src/dev/identity/directory.ts';
import { environmentStatus, formatEnvironmentStatus } from '../../src/dev/environment-status.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { giteaAsAdmin, giteaAsPerson, teamId } from '../support/gitea.ts';

// The local forge: Gitea on loopback, Landlord's admin token in a 0600 file, the directory's people signing in
// with their directory passwords, the directory's groups as teams of the tenants' organisation.
const { cluster } = testCluster();
const { gitea } = testEnvironment();
const org = gitea.organization;
const port = Number(new URL(gitea.url).port);
const privateRepo = uniqueName('devteam-a-private');
after(async () => {
  // Landlord never deletes a repository; the test removes the one it made.
  await giteaAsAdmin().request('DELETE', giteaPath('repos', org, privateRepo));
});

/** Every listening TCP socket on the port, as the kernel lists it (hex address:port, state 0A = LISTEN). */
function listeners(onPort: number): string[] {
  const hexPort = onPort.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
      .map((fields) => fields[1] as string),
  );
}

function connects(host: string, onPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: onPort, timeout: 3_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** Every file under the folder whose name says it is a log. */
function logFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.log(\.\d+)?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the local Gitea', () => {
  it('answers its API on loopback only', async () => {
    assert.match(gitea.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const version = await giteaAsAdmin().request<{ version: string }>('GET', '/version');
    assert.equal(version.body.version, '1.26.0');
    assert.deepEqual(listeners(port), [`0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`]);
    const outside = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal && address.family === 'IPv4')
      .map((address) => address?.address as string);
    for (const address of outside) assert.equal(await connects(address, port), false, `reachable on ${address}`);
  });

  it('signs a directory person in with their directory password, and refuses a wrong one', async () => {
    const alice = await giteaAsPerson('alice').request<{ login: string; is_admin: boolean }>('GET', '/user');
    assert.equal(alice.status, 200);
    assert.equal(alice.body.login, 'alice');
    assert.equal(alice.body.is_admin, false);
    assert.equal((await giteaAsPerson('alice', 'not-her-password').request('GET', '/user')).status, 401);
    // Someone the directory does not know gets nowhere either.
    assert.equal((await giteaAsPerson('mallory', 'whatever').request('GET', '/user')).status, 401);
  });

  it("makes the directory's groups teams of the tenants' organisation, their members the group's", async () => {
    const teams = await giteaAsPerson('alice').request<{ name: string; organization: { username: string } }[]>(
      'GET',
      '/user/teams',
    );
    assert.deepEqual(
      teams.body.map((team) => `${team.organization.username}/${team.name}`),
      [`${org}/devteam-a`],
    );
    for (const group of exampleDirectory().groups) {
      const members = await giteaAsAdmin().request<{ login: string }[]>(
        'GET',
        giteaPath('teams', String(await teamId(group.cn)), 'members'),
      );
      assert.deepEqual(members.body.map((member) => member.login).sort(), [...group.members].sort(), group.cn);
    }
  });

  it('keeps the admin token in a 0600 file, and in no log', () => {
    assert.equal(statSync(gitea.tokenFile).mode & 0o777, 0o600);
    const token = readFileSync(gitea.tokenFile, 'utf8').trim();
    assert.ok(token.length >= 20);
    const logs = logFiles(environmentDir(cluster));
    assert.ok(
      logs.some((file) => file.startsWith(giteaDir(cluster))),
      "Gitea's own log is among those read",
    );
    for (const file of logs) assert.ok(!readFileSync(file, 'utf8').includes(token), `the token is in ${file}`);
  });

  it("lets a member of devteam-b neither administer the organisation nor see devteam-a's private repository, which devteam-a cannot open to them", async () => {
    const admin = giteaAsAdmin();
    const created = await admin.request('POST', giteaPath('orgs', org, 'repos'), { name: privateRepo, private: true });
    assert.equal(created.status, 201);
    const granted = await admin.request(
      'PUT',
      giteaPath('teams', String(await teamId('devteam-a')), 'repos', org, privateRepo),
    );
    assert.equal(granted.status, 204);
    assert.equal((await giteaAsPerson('alice').request('GET', giteaPath('repos', org, privateRepo))).status, 200);

    const bob = giteaAsPerson('bob');
    assert.equal((await bob.request('GET', giteaPath('repos', org, privateRepo))).status, 404);
    const listed = await bob.request<{ name: string }[]>('GET', `${giteaPath('orgs', org, 'repos')}?limit=50`);
    assert.ok(!listed.body.some((repo) => repo.name === privateRepo), 'devteam-a repository listed to bob');
    // Administering the organisation: its settings, its teams, its members, a new repository.
    assert.equal((await bob.request('PATCH', giteaPath('orgs', org), { description: 'mine' })).status, 403);
    assert.equal(
      (await bob.request('POST', giteaPath('orgs', org, 'teams'), { name: 'bobs', permission: 'admin' })).status,
      403,
    );
    const devteamA = String(await teamId('devteam-a'));
    assert.equal((await bob.request('PUT', giteaPath('teams', devteamA, 'members', 'bob'))).status, 403);
    assert.equal(
      (await bob.request('POST', giteaPath('orgs', org, 'repos'), { name: uniqueName('bobs') })).status,
      403,
    );
    assert.equal((await bob.request('DELETE', giteaPath('orgs', org, 'members', 'alice'))).status, 403);
    // Nor can devteam-a open its repository to devteam-b: making it public or adding a collaborator takes admin.
    const alice = giteaAsPerson('alice');
    assert.equal((await alice.request('PATCH', giteaPath('repos', org, privateRepo), { private: false })).status, 403);
    const collaborator = giteaPath('repos', org, privateRepo, 'collaborators', 'bob');
    assert.equal((await alice.request('PUT', collaborator, { permission: 'read' })).status, 403);
    assert.equal((await bob.request('GET', giteaPath('repos', org, privateRepo))).status, 404);
    // Someone in no group does not even see that the organisation exists.
    assert.equal((await giteaAsPerson('dave').request('GET', giteaPath('orgs', org))).status, 404);
  });

  it('converges when brought up again: one admin, the same token, the same teams and repositories', async () => {
    const admin = giteaAsAdmin();
    const pid = () => readFileSync(join(giteaDir(cluster), 'gitea.pid'), 'utf8');
    const before = { token: readFileSync(gitea.tokenFile, 'utf8'), team: await teamId('devteam-a'), pid: pid() };
    const again = await giteaUp(cluster, exampleDirectory(), () => {});
    assert.deepEqual(again, gitea);
    // Nothing changed, so the same process serves on (Gitea wrote nothing of its own into its app.ini).
    assert.equal(pid(), before.pid);
    assert.equal(readFileSync(gitea.tokenFile, 'utf8'), before.token);
    assert.equal(await teamId('devteam-a'), before.team);
    const users = await admin.request<{ login: string; is_admin: boolean }[]>('GET', '/admin/users?limit=50');
    assert.deepEqual(
      users.body.filter((user) => user.is_admin).map((user) => user.login),
      [forgeAdminUser],
    );
    const logins = users.body.map((user) => user.login);
    assert.equal(new Set(logins).size, logins.length);
    assert.equal((await admin.request('GET', giteaPath('repos', org, privateRepo))).status, 200);
  });

  it('is listed by `landlord dev status` with its address, running', async () => {
    const status = await environmentStatus(cluster);
    assert.deepEqual(status.gitea, { url: gitea.url, running: true });
    assert.match(formatEnvironmentStatus(status), new RegExp(`Gitea: +${gitea.url} \\(running\\)`));
  });

  it("seeds the Git factory's default templates from deploy/git-templates, marked as templates", async () => {
    for (const name of ['namespace-tenant', 'house-tenant']) {
      const found = await giteaAsAdmin().request<{ template: boolean; private: boolean }>(
        'GET',
        giteaPath('repos', 'landlord-templates', name),
      );
      assert.equal(found.status, 200, name);
      assert.deepEqual([found.body.template, found.body.private], [true, true], name);
    }
    const readme = await giteaAsAdmin().request<{ name: string }[]>(
      'GET',
      giteaPath('repos', 'landlord-templates', 'house-tenant', 'contents'),
    );
    assert.deepEqual(readme.body.map((entry) => entry.name).sort(), ['README.md', 'argocd-apps', 'infrastructure']);
  });
});

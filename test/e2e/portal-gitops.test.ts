import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { git } from '../../src/git/commit-files.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { commitToPlatformRepo, createTeamRepo, refreshApplication, waitForApplication } from '../support/argocd.ts';
import { testEnvironment, uniqueName } from '../support/cluster.ts';
import { startOperator, tenantExists, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { addDirectoryUser, addToDirectoryGroup } from '../support/directory.ts';
import { waitFor } from '../support/wait.ts';
import { PortalApiClient } from '../support/portal-api.ts';
import { startTestPortal } from '../support/portal.ts';

const { platform, platformRepo } = testEnvironment();
const platformApp = 'landlord-platform';
startOperator();
// A person whose directory display name is YAML: what the GitOps writer must never let into a tenant file.
const hostileGroup = uniqueName('pgith');
const hostileUid = uniqueName('mallory');
const hostilePassword = `pw-${hostileUid}`;
const hostileName =
  'Mallory\nspec:\n  adGroup: platform-admins\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-evil';
addDirectoryUser(hostileUid, { name: hostileName }, hostilePassword);
addToDirectoryGroup(hostileGroup, [hostileUid]);
const portal = await startTestPortal({
  policy: { requesterGroups: ['devteam-a', 'devteam-b', hostileGroup], adminGroups: ['platform-admins'] },
  mode: 'gitops',
  platformRepoURL: platformRepo.repoURL,
  platformApplication: { namespace: platform.argocd.namespace, name: platformApp },
});
const team = uniqueName('pgit');
const neighbour = uniqueName('pgitn');
const hostileTeam = uniqueName('pgitx');
const repoPath = new URL(platformRepo.repoURL).pathname;

/** Tells Argo CD about the new commit, as the Git host's webhook would, and waits for the sync. */
async function syncPlatform(): Promise<void> {
  const head = (await git(repoPath, ['rev-parse', 'main'])).stdout.trim();
  await refreshApplication(platform.argocd.namespace, platformApp);
  await waitForApplication(
    platform.argocd.namespace,
    platformApp,
    (app) => app.status?.sync?.revision === head && app.status?.operationState?.phase === 'Succeeded',
    `the platform app synced at ${head}`,
  );
}

const lastCommitOf = async (file: string) =>
  (await git(repoPath, ['log', '-1', '--format=%an <%ae>|%s', 'main', '--', file])).stdout.trim();

describe('the portal in GitOps mode commits requests to the platform repository', () => {
  after(async () => {
    const files = { [`tenants/${neighbour}.yaml`]: null, [`tenants/${hostileTeam}.yaml`]: null };
    await commitToPlatformRepo(files, `Remove ${neighbour} and ${hostileTeam}`);
    await syncPlatform();
  });

  it('commits tenants/<name>.yaml as the requester; Argo CD creates the Tenant; it becomes Ready', async () => {
    // Argo CD never lets an automated sync empty the repository's app (allowEmpty false): a neighbour stays.
    await commitToPlatformRepo({ [`tenants/${neighbour}.yaml`]: stringify(validTenant(neighbour, neighbour)) }, 'Add');
    await createTeamRepo(team);
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const { spec } = validTenant(team, team);
    // arthur is the owner: he may decommission it later.
    const owned = { ...spec, adGroup: 'devteam-a', ownerEmail: 'arthur@financecore.example' };
    const answer = await arthur.send('POST', '/api/v1/tenants', { spec: owned });
    assert.equal(answer.status, 202, await answer.clone().text());
    assert.deepEqual(await answer.json(), { name: team, mode: 'gitops' });
    const file = `tenants/${team}.yaml`;
    assert.match(
      await lastCommitOf(file),
      new RegExp(`^Arthur Amsel <arthur@financecore.example>\\|Request tenant ${team}`),
    );
    const committed = parse((await git(repoPath, ['show', `main:${file}`])).stdout) as Tenant;
    assert.equal(committed.spec.adGroup, 'devteam-a');
    assert.equal(committed.spec.isolation, 'namespace', 'with the schema defaults, as reviewed');
    const again = await arthur.send('POST', '/api/v1/tenants', {
      name: `${team}-2`,
      spec: { ...spec, adGroup: 'devteam-a' },
    });
    assert.equal(again.status, 409, 'the team already has a tenant file (or Tenant)');
    // No refresh from the test: the portal tells Argo CD itself (Argo CD would poll only after 60 s or more).
    await waitFor(() => tenantExists(team), `Argo CD to create ${team}`, 20_000);
    await waitForPhase(team, 'Ready');
    assert.ok(portal.audit.some((line) => line.action === 'request' && line.tenant === team && line.commit));
  });

  it('refuses to decommission by removing a file that holds more than the tenant, naming why', async () => {
    const file = `tenants/${team}.yaml`;
    const alone = (await git(repoPath, ['show', `main:${file}`])).stdout;
    const stowaway = stringify(validTenant(`${team}-extra`, `${team}-extra`));
    await commitToPlatformRepo({ [file]: `${alone}---\n${stowaway}` }, `A second tenant in ${file}`);
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const answer = await arthur.send('DELETE', `/api/v1/tenants/${team}`, { confirm: team });
    assert.equal(answer.status, 409, await answer.clone().text());
    assert.match(
      await answer.text(),
      new RegExp(`${file} holds 2 documents \\(Tenant ${team}, Tenant ${team}-extra\\), not only Tenant ${team}`),
    );
    assert.ok((await git(repoPath, ['show', `main:${file}`])).stdout.includes(`${team}-extra`), 'nothing removed');
    await commitToPlatformRepo({ [file]: alone }, `Only ${team} in ${file} again`);
  });

  it('writes a hostile directory display name as one comment line and a one-line author, never as YAML', async () => {
    const mallory = await PortalApiClient.signIn(portal.url, hostileUid, hostilePassword);
    const { spec } = validTenant(hostileTeam, hostileTeam);
    const answer = await mallory.send('POST', '/api/v1/tenants', { spec: { ...spec, adGroup: hostileGroup } });
    assert.equal(answer.status, 202, await answer.clone().text());
    const file = `tenants/${hostileTeam}.yaml`;
    const text = (await git(repoPath, ['show', `main:${file}`])).stdout;
    const documents = parseAllDocuments(text).map((document) => document.toJS() as Tenant);
    assert.equal(documents.length, 1, text);
    assert.equal(documents[0]?.spec.adGroup, hostileGroup);
    assert.equal(documents[0]?.metadata.name, hostileTeam);
    assert.ok(!text.includes('kube-evil'), text);
    const author = (await git(repoPath, ['log', '-1', '--format=%an', 'main', '--', file])).stdout.trim();
    assert.equal(
      author,
      'Mallory spec: adGroup: platform-admins --- apiVersion: v1 kind: Namespace metadata: name: kube-evil',
    );
  });

  it('decommissions by removing the file, as the requester', async () => {
    const arthur = await PortalApiClient.signIn(portal.url, 'arthur');
    const answer = await arthur.send('DELETE', `/api/v1/tenants/${team}`, { confirm: team });
    assert.equal(answer.status, 202, await answer.clone().text());
    assert.match(
      await lastCommitOf(`tenants/${team}.yaml`),
      /^Arthur Amsel <arthur@financecore.example>\|Decommission tenant/,
    );
    await waitUntilGone(team, 30_000);
  });
});

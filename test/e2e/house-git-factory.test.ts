import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import type { Tenant } from '../../src/api/tenant.ts';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { hostWebhookURL } from '../../src/operator/git/git-integrations.ts';
import { houseArgoCdURL } from '../../src/tenancy/house-address.ts';
import { houseRepositorySecretName } from '../../src/tenancy/house/team-repository-secret.ts';
import { houseWebhookSecret, houseWebhookURL } from '../../src/tenancy/house/webhook-secret.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { factoryIntegrations, factoryPlatform } from '../support/git-factory.ts';
import { identitySecrets } from '../support/directory.ts';
import { approve, merge, openPullRequest } from '../support/forge-pull-request.ts';
import { git, gitClone } from '../support/git-http.ts';
import { giteaAsAdmin } from '../support/gitea.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { turnHousePollingOff } from '../support/house-argocd-polling.ts';
import { watchRefreshRequests } from '../support/refresh-requests.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// Run under `flock /tmp/landlord-house-e2e.lock`. A house with the Git factory: its repository from the house
// template, and its own Argo CD reading it as the tenant's read-only reader, whose credentials Landlord writes inside.
const { http } = testCluster();
const { gitea, argocd, platform } = testEnvironment();
startOperator({ platform: factoryPlatform, integrations: factoryIntegrations() });
const team = uniqueName('hgf');
const scratch = mkdtempSync(join(tmpdir(), 'landlord-house-git-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const repoPath = giteaPath('repos', gitea.organization, `${team}-gitops`);
const alice = () => ({ username: 'alice', password: identitySecrets().users.alice ?? '' });
const tenantPath = `/apis/landlord.dev/v1alpha1/tenants/${team}`;

/** alice commits the files on a branch, opens a pull request, carol (a platform admin) approves, alice merges. */
async function mergeFiles(cloneURL: string, files: Record<string, string>): Promise<void> {
  const clone = await gitClone(scratch, cloneURL, alice());
  assert.ok(clone.ok, clone.stderr);
  const branch = uniqueName('change');
  await git(clone.dir, ['checkout', '--quiet', '-b', branch]);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(clone.dir, file)), { recursive: true });
    writeFileSync(join(clone.dir, file), content);
  }
  await git(clone.dir, ['add', '--all']);
  await git(clone.dir, ['commit', '--quiet', '-m', `alice: ${Object.keys(files).join(', ')}`]);
  const pushed = await git(clone.dir, ['push', 'origin', `HEAD:refs/heads/${branch}`], alice());
  assert.ok(pushed.ok, pushed.stderr);
  const pull = await openPullRequest({ organization: gitea.organization, name: `${team}-gitops` }, branch, 'alice');
  await approve(pull, 'carol');
  const merged = await merge(pull, 'alice');
  assert.equal(merged.status, 200, merged.message);
}

describe('a house with the Git factory', () => {
  it('gets its repository from the house template, and its own Argo CD syncs the bootstrap from it', async () => {
    await createHouse(team, '1.36', (document) => {
      delete document.spec.gitops;
      document.spec.adGroup = 'devteam-a';
    });
    const tenant: Tenant = await waitForPhase(team, 'Ready', 600_000);
    assert.equal(tenant.status?.gitRepoURL, `${gitea.url}/${gitea.organization}/${team}-gitops.git`);
    const clone = await gitClone(scratch, tenant.status?.gitRepoURL ?? '', alice());
    assert.ok(clone.ok, clone.stderr);
    const files = readdirSync(clone.dir).filter((name) => name !== '.git');
    assert.deepEqual(files.sort(), ['README.md', 'argocd-apps', 'infrastructure'], "the house template's folders");

    // Its own Argo CD comes after the house answers (ADR 36): Ready says the house does, HouseArgoCDReady the rest.
    let condition: { status?: string; message?: string } | undefined;
    await waitFor(
      async () => {
        const now = await http.request<Tenant>({ method: 'GET', path: tenantPath });
        condition = now.status?.conditions?.find((candidate) => candidate.type === 'HouseArgoCDReady');
        return condition?.status === 'True';
      },
      'HouseArgoCDReady True',
      600_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message} (last: ${JSON.stringify(condition)})`, { cause: error });
    });
    const house = await houseClient(team);
    try {
      const secret = await house.request<{ data: Record<string, string> }>({
        method: 'GET',
        path: `/api/v1/namespaces/argocd/secrets/${houseRepositorySecretName}`,
      });
      assert.equal(Buffer.from(secret.data.username ?? '', 'base64').toString(), `landlord-reader-${team}`);
      await waitFor(
        async () => {
          const app = await house.request<{ status?: { sync?: { status?: string; revision?: string } } }>({
            method: 'GET',
            path: `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${team}-apps`,
          });
          return app.status?.sync?.status === 'Synced' && !!app.status.sync.revision;
        },
        `the bootstrap ${team}-apps Synced from the factory's repository inside the house`,
        300_000,
      );
    } finally {
      house.close();
    }
  });

  it("announces a merged change to the house's own Argo CD, which deploys it with polling off", async () => {
    const tenant = await http.request<Tenant>({ method: 'GET', path: tenantPath });
    const factory = factoryPlatform(platform);
    const secret = houseWebhookSecret(readFileSync(argocd.webhookSecretFile, 'utf8').trim(), tenant);
    // Two of Landlord's hooks: the host's Argo CD and the house's, each with its own secret.
    const hooks = await giteaAsAdmin().request<{ name: string; config: { url: string } }[]>('GET', `${repoPath}/hooks`);
    assert.deepEqual(
      hooks.body.map((hook) => hook.config.url).sort(),
      [hostWebhookURL(factory), houseWebhookURL(tenant, factory)].sort(),
    );
    const house = await houseClient(team);
    const houseArgoCd = houseArgoCdURL(tenant, factory);
    try {
      const argocdSecret = await house.request<{ data: Record<string, string> }>({
        method: 'GET',
        path: '/api/v1/namespaces/argocd/secrets/argocd-secret',
      });
      const held = Buffer.from(argocdSecret.data['webhook.gogs.secret'] ?? '', 'base64').toString();
      assert.ok(held === secret, "the house's Argo CD holds the house's secret (derived, not the host's)");
      assert.ok(argocdSecret.data['server.secretkey'], "Argo CD's own keys are left in place");

      await turnHousePollingOff(team, house, houseArgoCd);
      const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-a-merge' }, data: { a: 'b' } };
      const refreshes = watchRefreshRequests('argocd', `${team}-apps`, house);
      const merged = Date.now();
      await mergeFiles(tenant.status?.gitRepoURL ?? '', { 'argocd-apps/from-a-merge.yaml': stringify(configMap) });
      await waitFor(
        async () =>
          (await house.send({ method: 'GET', path: '/api/v1/namespaces/argocd/configmaps/from-a-merge' })).status ===
          200,
        'the merged ConfigMap inside the house',
        180_000,
      );
      await waitFor(
        async () => {
          const app = await house.request<{ status?: { sync?: { status?: string }; health?: { status?: string } } }>({
            method: 'GET',
            path: `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${team}-apps`,
          });
          return app.status?.sync?.status === 'Synced' && app.status.health?.status === 'Healthy';
        },
        `the bootstrap ${team}-apps Synced and Healthy`,
        120_000,
      );
      process.stderr.write(`[measure] house: merge to Healthy (webhook, polling off): ${Date.now() - merged} ms\n`);
      assert.ok((await refreshes.stop()) > 0, "the push reached the house's Argo CD as a refresh request");
    } finally {
      house.close();
    }
  });

  it("has the house's Argo CD refuse a push signed with another secret, or unsigned in another forge's form", async () => {
    const tenant = await http.request<Tenant>({ method: 'GET', path: tenantPath });
    const factory = factoryPlatform(platform);
    const url = houseWebhookURL(tenant, factory);
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      repository: { html_url: (tenant.status?.gitRepoURL ?? '').replace(/\.git$/, '') },
    });
    const post = async (headers: Record<string, string>) =>
      (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status;
    const hostSecret = readFileSync(argocd.webhookSecretFile, 'utf8').trim();
    const signed = (secret: string) => createHmac('sha256', secret).update(body).digest('hex');
    assert.equal(await post({ 'x-gogs-event': 'push', 'x-gogs-signature': 'f'.repeat(64) }), 400, 'a wrong secret');
    assert.equal(
      await post({ 'x-gogs-event': 'push', 'x-gogs-signature': signed(hostSecret) }),
      400,
      "the host's secret opens no house",
    );
    assert.equal(await post({ 'x-github-event': 'push' }), 400, "an unsigned push in GitHub's form");
    const house = houseWebhookSecret(hostSecret, tenant);
    assert.equal(await post({ 'x-gogs-event': 'push', 'x-gogs-signature': signed(house) }), 200, "the house's own");
  });

  it("puts the house's webhook secret back when the team takes it out of argocd-secret", async () => {
    const house = await houseClient(team);
    const path = '/api/v1/namespaces/argocd/secrets/argocd-secret';
    const held = async () =>
      !!(await house.request<{ data?: Record<string, string> }>({ method: 'GET', path })).data?.['webhook.gogs.secret'];
    try {
      // The team is cluster-admin in its house: it may; its pushes are refused until Landlord's next look.
      await house.request({
        method: 'PATCH',
        path,
        contentType: 'application/merge-patch+json',
        body: { data: { 'webhook.gogs.secret': null } },
      });
      assert.equal(await held(), false);
      await waitFor(held, "the house's webhook secret back in argocd-secret", 180_000);
    } finally {
      house.close();
    }
  });

  it("takes Landlord's hook to the house's Argo CD away when that Argo CD is turned off, and keeps the host's", async () => {
    await http.request({
      method: 'PATCH',
      path: tenantPath,
      body: { spec: { services: { argocd: false } } },
      contentType: 'application/merge-patch+json',
    });
    const hookURLs = async () =>
      (await giteaAsAdmin().request<{ config: { url: string } }[]>('GET', `${repoPath}/hooks`)).body.map(
        (hook) => hook.config.url,
      );
    await waitFor(
      async () => (await hookURLs()).length === 1,
      "the house's hook removed from the team's repository",
      120_000,
    );
    assert.deepEqual(await hookURLs(), [hostWebhookURL(factoryPlatform(platform))]);
  });

  it('archives the repository when the house is gone', async () => {
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
    await waitUntilGone(team, 600_000);
    assert.equal((await giteaAsAdmin().request<{ archived: boolean }>('GET', repoPath)).body.archived, true);
  });
});

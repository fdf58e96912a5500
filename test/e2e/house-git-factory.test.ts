import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Tenant } from '../../src/api/tenant.ts';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { houseRepositorySecretName } from '../../src/tenancy/house/team-repository-secret.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { factoryIntegrations, factoryPlatform } from '../support/git-factory.ts';
import { identitySecrets } from '../support/directory.ts';
import { gitClone } from '../support/git-http.ts';
import { giteaAsAdmin } from '../support/gitea.ts';
import { createHouse, houseClient } from '../support/house.ts';
import { startOperator, waitForPhase, waitUntilGone } from '../support/operator.ts';
import { waitFor } from '../support/wait.ts';

// Run under `flock /tmp/landlord-house-e2e.lock`. A house with the Git factory: its repository from the house
// template, and its own Argo CD reading it as the tenant's read-only reader, whose credentials Landlord writes inside.
const { http } = testCluster();
const { gitea } = testEnvironment();
startOperator({ platform: factoryPlatform, integrations: factoryIntegrations() });
const team = uniqueName('hgf');
const scratch = mkdtempSync(join(tmpdir(), 'landlord-house-git-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const repoPath = giteaPath('repos', gitea.organization, `${team}-gitops`);

describe('a house with the Git factory', () => {
  it('gets its repository from the house template, and its own Argo CD syncs the bootstrap from it', async () => {
    await createHouse(team, '1.36', (document) => {
      delete document.spec.gitops;
      document.spec.adGroup = 'devteam-a';
    });
    const tenant: Tenant = await waitForPhase(team, 'Ready', 600_000);
    assert.equal(tenant.status?.gitRepoURL, `${gitea.url}/${gitea.organization}/${team}-gitops.git`);
    const clone = await gitClone(scratch, tenant.status?.gitRepoURL ?? '', {
      username: 'alice',
      password: identitySecrets().users.alice ?? '',
    });
    assert.ok(clone.ok, clone.stderr);
    const files = readdirSync(clone.dir).filter((name) => name !== '.git');
    assert.deepEqual(files.sort(), ['README.md', 'argocd-apps', 'infrastructure'], "the house template's folders");

    // Its own Argo CD comes after the house answers (ADR 36): Ready says the house does, HouseArgoCDReady the rest.
    let condition: { status?: string; message?: string } | undefined;
    await waitFor(
      async () => {
        const now = await http.request<Tenant>({ method: 'GET', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
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

  it('archives the repository when the house is gone', async () => {
    await http.send({ method: 'DELETE', path: `/apis/landlord.dev/v1alpha1/tenants/${team}` });
    await waitUntilGone(team, 600_000);
    assert.equal((await giteaAsAdmin().request<{ archived: boolean }>('GET', repoPath)).body.archived, true);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlatformConfig } from '../../src/api/platform-config.ts';
import { giteaPath } from '../../src/integrations/git/gitea/gitea-api.ts';
import { gitIntegrations } from '../../src/operator/git/git-integrations.ts';
import { localGitFactoryFiles } from '../../src/dev/forge/local-factory.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster, testEnvironment, uniqueName } from '../support/cluster.ts';
import { factoryPlatform } from '../support/git-factory.ts';
import { giteaAsAdmin } from '../support/gitea.ts';
import { startOperator, waitForPhase } from '../support/operator.ts';

// A platform whose template for namespace tenants is not on the forge: the tenant says which, and nothing is made.
const { http } = testCluster();
const { gitea, argocd, platform } = testEnvironment();
const missingTemplate = 'landlord-templates/no-such-template';
const withMissingTemplate = (base: PlatformConfig): PlatformConfig => {
  const factory = factoryPlatform(base);
  return {
    ...factory,
    git: {
      ...factory.git,
      factory: { ...factory.git.factory, templates: { ...factory.git.factory.templates, namespace: missingTemplate } },
    },
  };
};
startOperator({
  platform: withMissingTemplate,
  integrations: gitIntegrations(withMissingTemplate(platform), localGitFactoryFiles(gitea, argocd.webhookSecretFile)),
});

describe('the Git factory with a template the forge does not have', () => {
  it('fails the tenant with a condition naming the template, and makes no repository', async () => {
    const team = uniqueName('gft');
    const document = validTenant(team, team);
    delete document.spec.nodePool;
    delete document.spec.gitops;
    document.spec.adGroup = 'devteam-a';
    await http.request({ method: 'POST', path: '/apis/landlord.dev/v1alpha1/tenants', body: document });
    const tenant = await waitForPhase(team, 'Failed', 120_000);
    const condition = tenant.status?.conditions?.find((candidate) => candidate.type === 'GitRepositoryReady');
    assert.equal(condition?.reason, 'TemplateNotFound');
    assert.match(
      condition?.message ?? '',
      /template landlord-templates\/no-such-template is not a template repository/,
    );
    const made = await giteaAsAdmin().request('GET', giteaPath('repos', gitea.organization, `${team}-gitops`));
    assert.equal(made.status, 404);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { validTenant } from '../../test/fixtures/tenants.ts';
import { gitRepositoryConcern } from '../tenancy/git-repository.ts';
import type { ReconcileContext } from './context.ts';
import type { ExternalIntegration } from './external-integration.ts';
import { releaseUndescribed } from './hold-concerns.ts';

const factoryOn = parsePlatformConfig({
  git: { baseURL: 'https://git.bank.example/tenants', factory: { enabled: true } },
});

/** Runs the release step with a Git integration that records what it is asked to let go of. */
async function released(tenant: Tenant, platform = factoryOn): Promise<string[]> {
  const names: string[] = [];
  const git: ExternalIntegration = {
    ensure: async () => assert.fail('nothing is ensured before the concerns are held'),
    retire: async () => assert.fail('nothing is retired while the tenant lives'),
    release: async (thing) => void names.push(thing.name),
  };
  const ctx = { concerns: [gitRepositoryConcern], platform, integrations: new Map([['git', git]]) };
  await releaseUndescribed(ctx as unknown as ReconcileContext, tenant);
  return names;
}

const tenantOf = (gitops?: string) => {
  const document = validTenant('team-a', 'devteam-a');
  if (gitops) document.spec.gitops = { repoURL: gitops };
  else delete document.spec.gitops;
  return document as unknown as Tenant;
};

describe('letting go of what a tenant needs no more', () => {
  it("releases the factory's repository of a team that now names its own", async () => {
    assert.deepEqual(await released(tenantOf('https://git.bank.example/tenants/devteam-a/apps.git')), [
      'tenants/devteam-a-gitops',
    ]);
  });
  it('releases nothing the tenant still uses, nor anything with the factory off', async () => {
    assert.deepEqual(await released(tenantOf()), []);
    assert.deepEqual(await released(tenantOf('https://git.bank.example/x.git'), parsePlatformConfig({})), []);
  });
});

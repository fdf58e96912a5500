import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { parsePlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import { validTenant } from '../../test/fixtures/tenants.ts';
import { gitRepositoryConcern, readerName } from './git-repository.ts';

/** A tenant as the API server stores it, the fixture's loose document typed. */
const tenantOf = (document: ReturnType<typeof validTenant>) => document as unknown as Tenant;

const platform = parsePlatformConfig({
  git: { baseURL: 'https://git.bank.example/tenants', factory: { enabled: true, requiredApprovals: 2 } },
});

describe('the Git factory concern', () => {
  it('describes the team’s repository from the namespace template, granted to its group, with its marker', () => {
    const tenant = validTenant('team-a', 'devteam-a');
    tenant.metadata.uid = 'uid-1';
    delete tenant.spec.gitops;
    const [thing] = gitRepositoryConcern.describe(tenantOf(tenant), platform);
    assert.equal(thing?.integration, 'git');
    assert.equal(thing?.name, 'tenants/devteam-a-gitops');
    assert.deepEqual(thing?.spec, {
      organization: 'tenants',
      name: 'devteam-a-gitops',
      template: { organization: 'landlord-templates', name: 'namespace-tenant' },
      group: tenant.spec.adGroup,
      approverGroups: ['platform-admins'],
      requiredApprovals: 2,
      reader: 'landlord-reader-devteam-a',
      marker: 'tenant team-a uid uid-1',
    });
  });

  it('takes the house template for a house', () => {
    const tenant = validTenant('team-h', 'devteam-h');
    delete tenant.spec.gitops;
    tenant.spec.isolation = 'vcluster';
    const [thing] = gitRepositoryConcern.describe(tenantOf(tenant), platform);
    assert.deepEqual(thing?.spec.template, { organization: 'landlord-templates', name: 'house-tenant' });
  });

  it('keeps nothing for a team naming its own repository, or with the factory off', () => {
    const own = validTenant('team-b', 'devteam-b');
    own.spec.gitops = { repoURL: 'https://git.bank.example/tenants/devteam-b/apps.git' };
    assert.deepEqual(gitRepositoryConcern.describe(tenantOf(own), platform), []);
    const tenant = validTenant('team-c', 'devteam-c');
    delete tenant.spec.gitops;
    assert.deepEqual(gitRepositoryConcern.describe(tenantOf(tenant), parsePlatformConfig({})), []);
  });

  it('still retires the repository made for a team that switched to its own, and none with the factory off', () => {
    const switched = validTenant('team-b', 'devteam-b');
    switched.metadata.uid = 'uid-2';
    switched.spec.gitops = { repoURL: 'https://git.bank.example/tenants/devteam-b/apps.git' };
    const [thing] = gitRepositoryConcern.retirable?.(tenantOf(switched), platform) ?? [];
    assert.equal(thing?.name, 'tenants/devteam-b-gitops');
    assert.equal(thing?.spec.marker, 'tenant team-b uid uid-2', 'only the one made for this tenant');
    assert.deepEqual(gitRepositoryConcern.retirable?.(tenantOf(switched), parsePlatformConfig({})), []);
  });

  it('names the reader within the forge’s 39 characters, distinct for long team names sharing a beginning', () => {
    assert.equal(readerName('devteam-a', 'landlord-reader-'), 'landlord-reader-devteam-a');
    const long = `${'a'.repeat(30)}-payments-one`;
    const other = `${'a'.repeat(30)}-payments-two`;
    assert.ok(readerName(long, 'landlord-reader-').length <= 39);
    assert.notEqual(readerName(long, 'landlord-reader-'), readerName(other, 'landlord-reader-'));
  });
  it('names the reader without consecutive dashes (the forge refuses them), distinct from the team without them', () => {
    const doubled = readerName('a--b', 'landlord-reader-');
    assert.doesNotMatch(doubled, /--/);
    assert.equal(doubled.length, 39);
    assert.notEqual(doubled, readerName('a-b', 'landlord-reader-'));
    assert.notEqual(doubled, readerName('a---b', 'landlord-reader-'));
  });
  it('never gives a team a reader name equal to another team’s shortened one', () => {
    const prefix = 'landlord-reader-';
    const victim = 'payments-platform-operations-eu';
    const shortened = readerName(victim, prefix);
    assert.equal(shortened.length, 39, 'a shortened name is always exactly the limit');
    // A team picks the short name the old rule shortened the victim's to (its first 14 characters, 8 hex of its digest).
    const crafted = `${victim.slice(0, 14)}-${createHash('sha256').update(victim).digest('hex').slice(0, 8)}`;
    assert.notEqual(readerName(crafted, prefix), shortened);
    // And one spelling out the shortened name's own team part: a plain name is never as long as a shortened one.
    const spelled = shortened.slice(prefix.length);
    assert.notEqual(readerName(spelled, prefix), shortened);
    for (const team of [crafted, spelled, 'a'.repeat(22), 'a'.repeat(23), `${'b'.repeat(5)}-${'c'.repeat(34)}`]) {
      const name = readerName(team, prefix);
      assert.ok(name.length <= 39, `${name} within the forge's limit`);
      assert.ok(!/-$|--/.test(name.slice(prefix.length)) || team.includes('--'), `${name} ends in a letter or digit`);
    }
  });
});

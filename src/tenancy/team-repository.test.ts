import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedTenant } from '../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig, type PlatformConfig } from '../api/platform-config.ts';
import { teamRepoProblem, teamSource } from './team-repository.ts';

/** The tenant with the repository set after validation: the rule holds even where the CRD did not check first. */
const withRepo = (repoURL: string | undefined, teamName = 'devteam-a') => {
  const tenant = storedTenant((t) => {
    t.spec.teamName = teamName;
  });
  if (repoURL !== undefined) tenant.spec.gitops = { repoURL, path: 'applicationset', targetRevision: 'main' };
  return tenant;
};
const local: PlatformConfig = {
  ...defaultPlatformConfig,
  git: { ...defaultPlatformConfig.git, baseURL: 'file:///srv/git', allowFileURLs: true },
};
const problem = (repoURL: string, platform = defaultPlatformConfig, team = 'devteam-a') =>
  teamRepoProblem(withRepo(repoURL, team), platform);

describe("teamRepoProblem: spec.gitops.repoURL must be one of the team's repositories", () => {
  it("accepts no spec.gitops, the team's default repository, and repositories under its prefix", () => {
    assert.equal(teamRepoProblem(withRepo(undefined), defaultPlatformConfig), undefined);
    for (const repoURL of [
      'https://git.landlord.local/devteam-a-gitops.git',
      'https://git.landlord.local/devteam-a/apps.git',
      'https://git.landlord.local/devteam-a/payments/deploy.git',
    ]) {
      assert.equal(problem(repoURL), undefined, repoURL);
    }
    assert.equal(
      problem('file:///srv/git/devteam-a-gitops.git', local),
      undefined,
      'file:// where the platform allows it',
    );
  });

  it("refuses another team's repositories and the platform's, naming the field, the value and what is allowed", () => {
    const message = problem('https://git.landlord.local/devteam-b-gitops.git');
    assert.equal(
      message,
      'spec.gitops.repoURL: "https://git.landlord.local/devteam-b-gitops.git" is not one of team devteam-a\'s ' +
        'repositories; use https://git.landlord.local/devteam-a-gitops.git or a repository under ' +
        "https://git.landlord.local/devteam-a/ (path segments of letters, digits, '.', '_' and '-')",
    );
    for (const repoURL of [
      'https://git.landlord.local/devteam-b/apps.git',
      'https://git.landlord.local/platform.git',
      'https://elsewhere.example/devteam-a/apps.git',
      'https://git.landlord.local@elsewhere.example/devteam-a/apps.git',
    ]) {
      assert.match(problem(repoURL) ?? '', /is not one of team devteam-a's repositories/, repoURL);
    }
    assert.match(problem('file:///srv/git/platform.git', local) ?? '', /is not one of team devteam-a's/);
    assert.match(problem('file:///etc/passwd', local) ?? '', /is not one of team devteam-a's/);
  });

  it("refuses a team whose name begins another's the other's repositories (dev is not dev-a)", () => {
    assert.match(
      problem('https://git.landlord.local/devteam-a-gitops.git', defaultPlatformConfig, 'devteam') ?? '',
      /not one of team devteam's/,
    );
    assert.match(
      problem('https://git.landlord.local/devteam-a/apps.git', defaultPlatformConfig, 'devteam') ?? '',
      /not one of team devteam's/,
    );
  });

  it('refuses a way out of the prefix: dot segments, encodings, fragments, an empty rest', () => {
    for (const rest of [
      '../devteam-b/apps.git',
      'x/../../devteam-b/apps.git',
      './apps.git',
      '%2e%2e/devteam-b/apps.git',
      'apps.git@elsewhere',
      'apps.git#x',
      '',
      'a//b.git',
    ]) {
      assert.match(
        problem(`https://git.landlord.local/devteam-a/${rest}`) ?? '',
        /is not one of team devteam-a's/,
        rest,
      );
    }
  });

  it('refuses a pattern, whatever else it matches', () => {
    for (const repoURL of [
      'https://git.landlord.local/devteam-a/*',
      'file:///**',
      'https://git.landlord.local/devteam-a/[ab].git',
      'https://git.landlord.local/devteam-{a,b}-gitops.git',
      'https://git.landlord.local/devteam-a/app?.git',
    ]) {
      assert.match(problem(repoURL, local) ?? '', /is a pattern \(none of \* \? \[ \] \{ \} is allowed/, repoURL);
    }
  });

  it('refuses file:// unless the platform allows it (the local environment only)', () => {
    const message = problem('file:///srv/git/devteam-a-gitops.git');
    assert.match(
      message ?? '',
      /^spec\.gitops\.repoURL: "file:\/\/\/srv\/git\/devteam-a-gitops\.git" is a file:\/\/ URL, allowed on the local environment only; use https:\/\/git\.landlord\.local\/devteam-a-gitops\.git/,
    );
    assert.match(problem('FILE:///srv/git/devteam-a-gitops.git') ?? '', /file:\/\/ URL/);
  });
});

describe('teamSource: where a team without spec.gitops deploys from', () => {
  it('names main as a full branch ref, so no tag or other ref named main a member pushes is deployed', () => {
    const source = teamSource(withRepo(undefined), defaultPlatformConfig);
    assert.equal(source.repoURL, 'https://git.landlord.local/devteam-a-gitops.git');
    assert.equal(source.targetRevision, 'refs/heads/main');
  });
});

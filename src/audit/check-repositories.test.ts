import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { folder, found, landlordMade, object, onlyFinding, tenant } from '../../test/fixtures/audit-inventory.ts';
import type { AuditedObject } from './inventory.ts';
import { auditOptionsFrom } from './options.ts';
import { isTeamRepository } from './team-repositories.ts';

const base = 'https://git.landlord.local';
const a = tenant('devteam-a');
const b = tenant('devteam-b');
const platformProject = object(
  'AppProject',
  'argoproj.io/v1alpha1',
  { name: 'landlord-platform', namespace: 'argocd' },
  { spec: { sourceRepos: [`${base}/platform.git`], sourceNamespaces: [] } },
);
/** Landlord's objects with devteam-a's AppProject listing these sources. */
const withSources = (...sourceRepos: string[]): AuditedObject[] => [
  platformProject,
  ...landlordMade(a, b).map((o) =>
    o.kind === 'AppProject' && o.metadata.name === 'devteam-a'
      ? { ...o, spec: { ...(o.spec as object), sourceRepos } }
      : o,
  ),
];
const rulesFor = (objects: AuditedObject[], settings?: Parameters<typeof found>[1]) =>
  found(folder(objects), settings).map(([rule, object]) => `${rule} ${object}`);

describe("audit: a tenant's sources are its own", () => {
  it("is quiet about the team's own repository and the platform project's own", () => {
    assert.deepEqual(found(folder(withSources(`${base}/devteam-a-gitops.git`, `${base}/devteam-a/charts.git`))), []);
  });

  it("reports a pattern that reaches the repo-server's disk", () => {
    assert.deepEqual(rulesFor(withSources(`${base}/devteam-a-gitops.git`, 'file:///**')), [
      'source-file-url AppProject argocd/devteam-a',
      'source-pattern AppProject argocd/devteam-a',
    ]);
  });

  it("reports another team's repository and the platform's, named exactly", () => {
    const other = onlyFinding(folder(withSources(`${base}/devteam-b-gitops.git`)), 'source-other-team');
    assert.equal(other.tenant, 'devteam-a');
    assert.match(other.message, /sourceRepos of tenant devteam-a's project: reaches team devteam-b's repository/);
    assert.match(other.fix, /https:\/\/git.landlord.local\/devteam-a-gitops.git/);
    assert.equal(onlyFinding(folder(withSources(`${base}/platform`)), 'source-platform-repo').severity, 'high');
  });

  it('reports a pattern narrower than "any repository" that still reaches past the team', () => {
    assert.deepEqual(rulesFor(withSources(`${base}/devteam-*`)), [
      'source-other-team AppProject argocd/devteam-a',
      'source-pattern AppProject argocd/devteam-a',
    ]);
  });

  it('reports, as medium, a repository that is simply not the team’s', () => {
    const finding = onlyFinding(folder(withSources('https://github.com/someone/charts.git')), 'source-outside-team');
    assert.equal(finding.severity, 'medium');
  });

  it('leaves a project that takes any repository at all to project-source-any-repo', () => {
    assert.deepEqual(rulesFor(withSources('*')), ['project-source-any-repo AppProject argocd/devteam-a']);
  });

  it("reports a Tenant whose spec.gitops.repoURL is another team's or a file:// path", () => {
    const rogue = tenant('devteam-c', { gitops: { repoURL: 'file:///srv/git/devteam-b-gitops.git' } });
    const objects = [...landlordMade(a, b), rogue as unknown as AuditedObject];
    const tenantFindings = found(folder(objects)).filter(([, object]) => object === 'Tenant devteam-c');
    assert.deepEqual(tenantFindings, [['source-file-url', 'Tenant devteam-c', 'devteam-c']]);
  });

  it("takes file:// under the platform's Git as the local environment's repositories", () => {
    const local = 'file:///home/dev/.cache/landlord/git';
    const settings = auditOptionsFrom({
      ...defaultPlatformConfig,
      git: { ...defaultPlatformConfig.git, baseURL: `${local}/` },
    });
    const objects = landlordMade(a, b).map((o) =>
      o.kind === 'AppProject'
        ? { ...o, spec: { ...(o.spec as object), sourceRepos: [`${local}/${o.metadata.name}-gitops.git`] } }
        : o,
    );
    assert.deepEqual(found(folder(objects), settings), []);
    const intoB = objects.map((o) =>
      o.kind === 'AppProject' && o.metadata.name === 'devteam-a'
        ? { ...o, spec: { ...(o.spec as object), sourceRepos: [`${local}/devteam-b-gitops.git`, 'file:///etc'] } }
        : o,
    );
    assert.deepEqual(rulesFor(intoB, settings), [
      'source-other-team AppProject argocd/devteam-a',
      'source-file-url AppProject argocd/devteam-a',
    ]);
    const localPlatform = {
      ...platformProject,
      spec: { sourceRepos: [`${local}/platform.git`], sourceNamespaces: [] },
    };
    const everything = [localPlatform, ...objects].map((o) =>
      o.kind === 'AppProject' && o.metadata.name === 'devteam-a'
        ? { ...o, spec: { ...(o.spec as object), sourceRepos: ['file:///**'] } }
        : o,
    );
    assert.deepEqual(rulesFor(everything, settings), [
      'source-other-team AppProject argocd/devteam-a',
      'source-file-url AppProject argocd/devteam-a',
      'source-pattern AppProject argocd/devteam-a',
      'source-platform-repo AppProject argocd/devteam-a',
    ]);
  });

  it("tells the team's repositories by the platform's rule, never by a shared prefix", () => {
    const git = { baseURL: base, teamRepoPrefix: '{baseURL}/{team}/' };
    assert.equal(isTeamRepository(`${base}/devteam-a-gitops.git`, 'devteam-a', git), true);
    assert.equal(isTeamRepository(`${base}/DevTeam-A-gitops`, 'devteam-a', git), true);
    assert.equal(isTeamRepository(`${base}/devteam-a/apps.git`, 'devteam-a', git), true);
    assert.equal(isTeamRepository(`${base}/devteam-a-dev-gitops.git`, 'devteam-a', git), false);
    assert.equal(isTeamRepository(`${base}/devteam-a-gitops.git/../devteam-b-gitops.git`, 'devteam-a', git), false);
    assert.equal(isTeamRepository(`${base}/devteam-a/../devteam-b-gitops.git`, 'devteam-a', git), false);
    assert.equal(isTeamRepository(`${base}/devteam-a/%2e%2e/devteam-b-gitops.git`, 'devteam-a', git), false);
    assert.equal(isTeamRepository(`https://git.landlord.local.evil/devteam-a-gitops.git`, 'devteam-a', git), false);
    const grouped = { baseURL: base, teamRepoPrefix: '{baseURL}/teams/{team}/' };
    assert.equal(isTeamRepository(`${base}/teams/devteam-a/apps.git`, 'devteam-a', grouped), true);
    assert.equal(isTeamRepository(`${base}/devteam-a/apps.git`, 'devteam-a', grouped), false);
  });
});

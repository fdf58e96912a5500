import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPlatformConfig } from '../api/platform-config.ts';
import { isDestinationPermitted, isGroupKindPermitted, isSourcePermitted } from '../audit/appproject-semantics.ts';
import { buildLockedDefaultProject, buildPlatformApplication, buildPlatformProject } from './platform-application.ts';

const repo = { repoURL: 'file:///srv/git/platform.git', targetRevision: 'main', layout: 'tenants' as const };
const server = defaultPlatformConfig.argocd.destinationServer;

describe('the platform project and Application', () => {
  it('in tenants layout, may create Tenants and nothing else, from the platform repo only', () => {
    const spec = buildPlatformProject(defaultPlatformConfig, repo).spec as Parameters<typeof isGroupKindPermitted>[0];
    assert.equal(isGroupKindPermitted(spec, { group: 'landlord.dev', kind: 'Tenant' }, false), true);
    assert.equal(isGroupKindPermitted(spec, { group: '', kind: 'Namespace' }, false), false);
    assert.equal(isGroupKindPermitted(spec, { group: 'apps', kind: 'Deployment' }, true), false);
    assert.equal(isSourcePermitted(spec, repo.repoURL), true);
    assert.equal(isSourcePermitted(spec, 'file:///srv/git/other.git'), false);
    assert.deepEqual((spec as { sourceNamespaces: string[] }).sourceNamespaces, [], 'no tenant may use it');
  });

  it('never lets an automated sync empty the platform, prunes in the background (teardown keeps its order)', () => {
    const app = buildPlatformApplication(defaultPlatformConfig, repo);
    assert.deepEqual((app.spec as { syncPolicy: unknown }).syncPolicy, {
      automated: { prune: true, selfHeal: true, allowEmpty: false },
      syncOptions: ['ServerSideApply=true', 'PrunePropagationPolicy=background'],
    });
  });

  it("locks Argo CD's default project: no repository, no destination, no kind", () => {
    const spec = buildLockedDefaultProject(defaultPlatformConfig).spec as Parameters<typeof isGroupKindPermitted>[0];
    assert.equal(isDestinationPermitted(spec, { server, namespace: 'default' }), false);
    assert.equal(isSourcePermitted(spec, 'https://anything.example/repo.git'), false);
    assert.equal(isGroupKindPermitted(spec, { group: 'apps', kind: 'Deployment' }, true), false);
  });
});

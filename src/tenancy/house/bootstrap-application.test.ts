import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LooseDocument } from '../../../test/fixtures/tenants.ts';
import { storedTenant } from '../../../test/fixtures/tenant-objects.ts';
import { defaultPlatformConfig as platform } from '../../api/platform-config.ts';
import { buildHouseBootstrapApplication } from './bootstrap-application.ts';

const house = (edit: (t: LooseDocument) => void = () => {}) =>
  storedTenant((t) => {
    t.spec.isolation = 'vcluster';
    delete t.spec.nodePool;
    edit(t);
  });
const specOf = (tenant = house()) => buildHouseBootstrapApplication(tenant, platform).spec as LooseDocument;

describe('the bootstrap App of Apps inside a house', () => {
  it('points at the team’s default repository’s argocd-apps/, into the house, automated, in project default', () => {
    const app = buildHouseBootstrapApplication(house(), platform);
    assert.equal(app.metadata.name, 'devteam-a-apps');
    assert.equal(app.metadata.namespace, 'argocd');
    assert.equal(app.metadata.finalizers, undefined, 'no cascade: deleting it by mistake loses no application');
    assert.deepEqual(specOf(), {
      project: 'default',
      source: {
        repoURL: 'https://git.landlord.local/devteam-a-gitops.git',
        path: 'argocd-apps',
        targetRevision: 'refs/heads/main',
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
  });

  it('follows spec.gitops: its repository, revision and folder; the CRD’s default folder means argocd-apps', () => {
    const repoURL = 'https://git.landlord.local/devteam-a/platform-apps.git';
    const named = specOf(house((t) => (t.spec.gitops = { repoURL, path: 'clusters/prod', targetRevision: 'v2' })));
    assert.deepEqual(named.source, { repoURL, path: 'clusters/prod', targetRevision: 'v2' });
    const defaulted = specOf(
      house((t) => (t.spec.gitops = { repoURL, path: 'applicationset', targetRevision: 'main' })),
    );
    assert.equal(defaulted.source.path, 'argocd-apps');
  });
});

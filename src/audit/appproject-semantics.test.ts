import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isDestinationPermitted,
  isGroupKindPermitted,
  isSourceNamespacePermitted,
  isSourcePermitted,
} from './appproject-semantics.ts';

const server = 'https://kubernetes.default.svc';
const to = (namespace: string) => ({ server, namespace });

describe("the article's wildcard trap", () => {
  // devteam-a's AppProject as the article shows it going wrong: a deny, a team pattern and a catch-all.
  const trap = {
    destinations: [
      { server, namespace: '!kube-system' },
      { server, namespace: 'devteam-a-*' },
      { server, namespace: '*' },
    ],
  };

  it('denies kube-system', () => assert.equal(isDestinationPermitted(trap, to('kube-system')), false));
  it("permits devteam-a's namespaces", () => assert.equal(isDestinationPermitted(trap, to('devteam-a-dev')), true));
  it("permits devteam-b's namespace too: the trap", () =>
    assert.equal(isDestinationPermitted(trap, to('devteam-b')), true));
  it('permits the Argo CD namespace too', () => assert.equal(isDestinationPermitted(trap, to('argocd')), true));
});

describe('destinations as Landlord writes them (exact namespaces)', () => {
  const exact = {
    destinations: [
      { server, namespace: 'devteam-a' },
      { server, namespace: 'devteam-a-dev' },
    ],
  };
  it('permit exactly those', () => {
    assert.equal(isDestinationPermitted(exact, to('devteam-a')), true);
    assert.equal(isDestinationPermitted(exact, to('devteam-a-dev')), true);
    assert.equal(isDestinationPermitted(exact, to('devteam-a-prod')), false);
    assert.equal(isDestinationPermitted(exact, to('devteam-b')), false);
  });
  it('permit nothing on another cluster', () =>
    assert.equal(isDestinationPermitted(exact, { server: 'https://other:6443', namespace: 'devteam-a' }), false));
  it('permit nothing when empty', () => assert.equal(isDestinationPermitted({ destinations: [] }, to('x')), false));
  it('match a destination named by cluster name', () => {
    const byName = { destinations: [{ name: 'in-cluster', namespace: 'devteam-a' }] };
    assert.equal(isDestinationPermitted(byName, { server: '', name: 'in-cluster', namespace: 'devteam-a' }), true);
  });
});

describe('resource kinds', () => {
  const landlord = {
    clusterResourceWhitelist: [],
    clusterResourceBlacklist: [{ group: '*', kind: '*' }],
    namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
  };
  it('refuses every cluster-scoped kind with an empty whitelist', () =>
    assert.equal(isGroupKindPermitted(landlord, { group: '', kind: 'Namespace' }, false), false));
  it('refuses a blacklisted namespaced kind and allows the rest', () => {
    assert.equal(isGroupKindPermitted(landlord, { group: '', kind: 'ResourceQuota' }, true), false);
    assert.equal(isGroupKindPermitted(landlord, { group: 'apps', kind: 'Deployment' }, true), true);
  });
  it('allows cluster kinds a whitelist names, by glob', () => {
    const open = { clusterResourceWhitelist: [{ group: '*', kind: '*' }] };
    assert.equal(isGroupKindPermitted(open, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, false), true);
  });
  it('treats an empty namespaced whitelist as allowing nothing, a missing one as allowing all', () => {
    assert.equal(
      isGroupKindPermitted({ namespaceResourceWhitelist: [] }, { group: 'apps', kind: 'Deployment' }, true),
      false,
    );
    assert.equal(isGroupKindPermitted({}, { group: 'apps', kind: 'Deployment' }, true), true);
  });
});

describe('sources and source namespaces', () => {
  it('matches repositories as Argo CD normalizes them', () => {
    const spec = { sourceRepos: ['https://git.example/devteam-a-gitops.git'] };
    assert.equal(isSourcePermitted(spec, 'https://GIT.example/devteam-a-gitops'), true);
    assert.equal(isSourcePermitted(spec, 'https://git.example/devteam-b-gitops.git'), false);
    assert.equal(isSourcePermitted({ sourceRepos: ['*'] }, 'https://anything/at/all.git'), true);
  });
  it('lets Applications use a project only from its source namespaces (globs or /regex/)', () => {
    const spec = { sourceNamespaces: ['devteam-a', '/^devteam-a-(dev|prod)$/'] };
    assert.equal(isSourceNamespacePermitted(spec, 'devteam-a', 'argocd'), true);
    assert.equal(isSourceNamespacePermitted(spec, 'devteam-a-prod', 'argocd'), true);
    assert.equal(isSourceNamespacePermitted(spec, 'devteam-b', 'argocd'), false);
    assert.equal(isSourceNamespacePermitted(spec, 'argocd', 'argocd'), true);
  });
});

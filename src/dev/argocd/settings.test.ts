import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildArgoCdConfigMap } from './settings.ts';

describe("the local Argo CD's argocd-cm", () => {
  const data = buildArgoCdConfigMap({ namespace: 'argocd', url: 'http://127.0.0.1:1', users: [] }).data as Record<
    string,
    string
  >;

  it('syncs as each project’s destination ServiceAccount, enforced (no key: Argo CD enforces by default)', () => {
    assert.equal(data['application.sync.impersonation.enabled'], 'true');
    assert.equal('application.sync.impersonation.enforced' in data, false);
  });

  it('fetches no Helm values file from a URL (an empty list of schemes)', () => {
    assert.equal(data['helm.valuesFileSchemes'], '');
  });
});

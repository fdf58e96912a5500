import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildArgoCdConfigMap, buildArgoCdSecret } from './settings.ts';

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

describe("the local Argo CD's single sign-on", () => {
  it('ends a session the platform-configured minutes after sign-in (users.session.duration, not 24h)', () => {
    const sso = { issuer: 'http://127.0.0.1:2/dex', clientID: 'argo-cd', sessionMinutes: 30 };
    const data = buildArgoCdConfigMap({ namespace: 'argocd', url: 'http://127.0.0.1:1', users: [], sso })
      .data as Record<string, string>;
    assert.equal(data['users.session.duration'], '30m');
    assert.match(data['oidc.config'] ?? '', /issuer: http:\/\/127.0.0.1:2\/dex/);
  });
});

describe("the local Argo CD's argocd-secret", () => {
  it('gives the webhook secret to every provider, so no forged push in any provider’s form is taken unsigned', () => {
    const secret = buildArgoCdSecret('argocd', { webhookSecret: 'not-a-real-secret' }) as unknown as {
      stringData: Record<string, string>;
    };
    const keys = ['webhook.gogs.secret', 'webhook.github.secret', 'webhook.gitlab.secret', 'webhook.bitbucket.uuid'];
    for (const key of [...keys, 'webhook.bitbucketserver.secret', 'webhook.azuredevops.password']) {
      assert.equal(secret.stringData[key], 'not-a-real-secret', key);
    }
    assert.equal(secret.stringData['webhook.azuredevops.username'], 'landlord');
    assert.equal(buildArgoCdSecret('argocd').stringData, undefined, 'no secret given, none written');
  });
});

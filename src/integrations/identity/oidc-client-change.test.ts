import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oidcClientChange, oidcClientRequestProblem, type StoredOidcClient } from './oidc-client-change.ts';

const wanted = {
  id: 'argocd-devteam-a',
  name: 'Argo CD devteam-a',
  redirectURIs: ['https://argocd-a.example/auth/callback'],
};
const stored: StoredOidcClient = {
  name: wanted.name,
  redirectURIs: wanted.redirectURIs,
  trustedPeers: [],
  public: false,
  hasSecret: true,
};

describe('what makes a stored OIDC client the requested one', () => {
  it('nothing when it is as asked, the redirect URIs in any order', () => {
    assert.equal(oidcClientChange(stored, wanted), 'none');
    const two = ['https://a.example/cb', 'https://b.example/cb'];
    assert.equal(
      oidcClientChange({ ...stored, redirectURIs: [...two].reverse() }, { ...wanted, redirectURIs: two }),
      'none',
    );
  });

  it('an update when a redirect URI or the name differs (an extra URI is a way out for a code)', () => {
    const extra = [...wanted.redirectURIs, 'https://attacker.example/cb'];
    assert.equal(oidcClientChange({ ...stored, redirectURIs: extra }, wanted), 'update');
    assert.equal(oidcClientChange({ ...stored, redirectURIs: ['https://old.example/cb'] }, wanted), 'update');
    assert.equal(oidcClientChange({ ...stored, name: 'old' }, wanted), 'update');
  });

  it('a new client when it is public, trusts peers or has no secret: an update cannot take those back', () => {
    assert.equal(oidcClientChange({ ...stored, public: true }, wanted), 'recreate');
    assert.equal(oidcClientChange({ ...stored, trustedPeers: ['landlord-portal'] }, wanted), 'recreate');
    assert.equal(oidcClientChange({ ...stored, hasSecret: false }, wanted), 'recreate');
  });
});

describe('an OIDC client request', () => {
  it('is accepted when it has an id, a name and absolute http(s) callbacks', () => {
    assert.equal(oidcClientRequestProblem(wanted), undefined);
    assert.equal(
      oidcClientRequestProblem({ ...wanted, redirectURIs: ['http://127.0.0.9:8080/auth/callback'] }),
      undefined,
    );
  });

  it('is refused naming the field and the value', () => {
    const cases: [Partial<typeof wanted>, RegExp][] = [
      [{ id: '' }, /OIDC client id "" is not allowed/],
      [{ id: 'a b' }, /OIDC client id "a b" is not allowed/],
      [{ name: ' ' }, /argocd-devteam-a: name is empty/],
      [{ redirectURIs: [] }, /argocd-devteam-a: redirectURIs is empty/],
      [{ redirectURIs: ['/auth/callback'] }, /redirect URI "\/auth\/callback" is not allowed; use an absolute http/],
      [{ redirectURIs: ['javascript:alert(1)'] }, /redirect URI "javascript:alert\(1\)" is not allowed/],
      [{ redirectURIs: ['https://a.example/cb#x'] }, /without a fragment/],
    ];
    for (const [change, message] of cases)
      assert.match(oidcClientRequestProblem({ ...wanted, ...change }) ?? '', message);
  });
});

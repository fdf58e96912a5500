import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forgeLocation } from './git-factory-settings.ts';
import { parsePlatformConfig } from './platform-config.ts';

describe('git.factory', () => {
  it('is off by default, so a platform without a forge keeps its repositories as they are', () => {
    assert.equal(parsePlatformConfig({}).git.factory.enabled, false);
  });

  it('reads the forge and the organisation from git.baseURL', () => {
    assert.deepEqual(forgeLocation('https://git.bank.example/tenants'), {
      url: 'https://git.bank.example',
      organization: 'tenants',
    });
    assert.deepEqual(forgeLocation('http://127.0.0.1:3000/gitea/tenants/'), {
      url: 'http://127.0.0.1:3000/gitea',
      organization: 'tenants',
    });
    assert.equal(forgeLocation('https://git.bank.example'), undefined);
    assert.equal(forgeLocation('file:///var/git'), undefined);
  });

  it('refuses to turn on without an organisation in git.baseURL, naming the field and the value', () => {
    assert.throws(
      () => parsePlatformConfig({ git: { baseURL: 'https://git.bank.example', factory: { enabled: true } } }),
      /git\.baseURL: "https:\/\/git\.bank\.example" does not name the forge's organisation/,
    );
    const config = parsePlatformConfig({
      git: { baseURL: 'https://git.bank.example/tenants', factory: { enabled: true } },
    });
    assert.equal(config.git.factory.enabled, true);
  });

  it('refuses a template that is not organisation/name, too few or too many approvals, and an unknown forge', () => {
    assert.throws(
      () => parsePlatformConfig({ git: { factory: { templates: { namespace: 'just-a-name' } } } }),
      /git\.factory\.templates\.namespace: "just-a-name" is not a repository on the forge; write organisation\/name/,
    );
    assert.throws(
      () => parsePlatformConfig({ git: { factory: { requiredApprovals: 0 } } }),
      /git\.factory\.requiredApprovals: 0 is not allowed; use a whole number from 1 to 5/,
    );
    assert.throws(
      () => parsePlatformConfig({ git: { factory: { provider: 'svn' } } }),
      /git\.factory\.provider: "svn" is not a forge Landlord knows; use gitea/,
    );
    assert.throws(
      () => parsePlatformConfig({ git: { factory: { readerPrefix: 'Reader' } } }),
      /git\.factory\.readerPrefix: "Reader" is not allowed/,
    );
    assert.throws(
      () => parsePlatformConfig({ git: { factory: { readerPrefix: 'bot--' } } }),
      /git\.factory\.readerPrefix: "bot--" is not allowed.*never two '-' in a row/,
    );
  });
});

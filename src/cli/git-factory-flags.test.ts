import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parsePlatformConfig } from '../api/platform-config.ts';
import { gitFactoryFiles } from './git-factory-flags.ts';

const dir = mkdtempSync(join(tmpdir(), 'landlord-git-flags-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const on = parsePlatformConfig({ git: { baseURL: 'https://git.bank.example/tenants', factory: { enabled: true } } });
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
};

describe('landlord operator --git-token-file / --git-webhook-secret-file', () => {
  it('reads nothing while the factory is off', () => {
    assert.equal(gitFactoryFiles(parsePlatformConfig({}), { gitTokenFile: '/nowhere' }), undefined);
  });

  it('reads the token and the secret, trimmed', () => {
    const files = gitFactoryFiles(on, {
      gitTokenFile: file('token', 'abc123\n'),
      gitWebhookSecretFile: file('secret', 'f00d\n'),
    });
    assert.deepEqual(files, { token: 'abc123', webhookSecret: 'f00d' });
  });

  it('refuses a factory without a token, an unreadable or empty file, naming the flag and never the content', () => {
    assert.throws(() => gitFactoryFiles(on, {}), /--git-token-file: nothing given; git\.factory\.enabled needs/);
    assert.throws(
      () => gitFactoryFiles(on, { gitTokenFile: join(dir, 'missing') }),
      /--git-token-file: cannot read .*missing \(ENOENT\)/,
    );
    assert.throws(
      () => gitFactoryFiles(on, { gitTokenFile: file('t2', 'tok'), gitWebhookSecretFile: file('empty', '\n') }),
      /--git-webhook-secret-file: .*empty is empty/,
    );
  });
});

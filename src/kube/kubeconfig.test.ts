import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { stringify } from 'yaml';
import { loadConnection } from './kubeconfig.ts';

function kubeconfig(users: object[], extra: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  writeFileSync(join(dir, 'ca.crt'), 'CA FROM FILE');
  const file = join(dir, 'config');
  writeFileSync(
    file,
    stringify({
      'current-context': 'main',
      clusters: [{ name: 'local', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority': 'ca.crt' } }],
      contexts: [
        { name: 'main', context: { cluster: 'local', user: 'admin' } },
        { name: 'other', context: { cluster: 'local', user: 'robot' } },
      ],
      users,
      ...extra,
    }),
  );
  return file;
}

it('reads the current context: server, CA from a path relative to the file, inline client certificates', async () => {
  const file = kubeconfig([
    {
      name: 'admin',
      user: {
        'client-certificate-data': Buffer.from('CERT').toString('base64'),
        'client-key-data': Buffer.from('KEY').toString('base64'),
      },
    },
  ]);
  const connection = loadConnection(file);
  assert.equal(connection.server, 'https://127.0.0.1:6443');
  assert.equal(connection.ca?.toString(), 'CA FROM FILE');
  const certificate = await connection.clientCertificate?.();
  assert.equal(certificate?.cert.toString(), 'CERT');
  assert.equal(certificate?.key.toString(), 'KEY');
  assert.deepEqual(await connection.authHeaders(), {});
});

it('uses tokens, named contexts and exec plugins, caching the plugin token until shortly before it expires', async (t) => {
  // Only Date is mocked: it decides whether the cached token is still good.
  t.mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-01-05T09:00:00Z') });
  const dir = mkdtempSync(join(tmpdir(), 'exec-'));
  const plugin = join(dir, 'plugin.sh');
  const expiry = '2026-01-05T10:00:00Z';
  writeFileSync(
    plugin,
    `#!/bin/sh\necho x >> ${dir}/calls\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin","expirationTimestamp":"${expiry}"}}'\n`,
  );
  chmodSync(plugin, 0o755);
  const file = kubeconfig([
    { name: 'admin', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin } } },
    { name: 'robot', user: { token: 'static-token' } },
  ]);
  const exec = loadConnection(file);
  assert.deepEqual(await exec.authHeaders(), { Authorization: 'Bearer from-plugin' });
  const calls = () => readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').length;
  t.mock.timers.tick(58 * 60_000);
  await exec.authHeaders();
  assert.equal(calls(), 1, 'the plugin ran once: its token is good for two more minutes');
  t.mock.timers.tick(60_001);
  await exec.authHeaders();
  assert.equal(calls(), 2, 'and again less than a minute before the token expires');
  assert.deepEqual(await loadConnection(file, 'other').authHeaders(), { Authorization: 'Bearer static-token' });
});

it('names what is missing', () => {
  const file = kubeconfig([], { 'current-context': 'nowhere' });
  assert.throws(() => loadConnection(file), /no context named "nowhere"/);
});

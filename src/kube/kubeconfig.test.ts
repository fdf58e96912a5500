import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
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

it('uses tokens, named contexts and exec plugins, caching the plugin token until it expires', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'exec-'));
  const plugin = join(dir, 'plugin.sh');
  const expiry = new Date(Date.now() + 3600_000).toISOString();
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
  await exec.authHeaders();
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').length, 1, 'the plugin ran once');
  assert.deepEqual(await loadConnection(file, 'other').authHeaders(), { Authorization: 'Bearer static-token' });
});

it('names what is missing', () => {
  const file = kubeconfig([], { 'current-context': 'nowhere' });
  assert.throws(() => loadConnection(file), /no context named "nowhere"/);
});

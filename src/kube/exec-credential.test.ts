import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { execCredential, type FakeExecPlugin, fakeExecPlugin } from '../../test/support/exec-plugin.ts';
import { loadConnection } from './kubeconfig.ts';

const v1 = 'client.authentication.k8s.io/v1';
const v1beta1 = 'client.authentication.k8s.io/v1beta1';
const pastExpiry = '2020-01-01T00:00:00Z';
const futureExpiry = () => new Date(Date.now() + 3600_000).toISOString();

/** A kubeconfig beside the plugin whose one user runs it (by a path relative to the kubeconfig). */
function connectionWith(plugin: FakeExecPlugin, exec: Record<string, unknown> = {}, cluster: object = {}) {
  writeFileSync(join(plugin.dir, 'ca.crt'), 'CA PEM');
  const file = join(plugin.dir, 'config');
  writeFileSync(
    file,
    stringify({
      'current-context': 'main',
      clusters: [
        { name: 'c', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority': 'ca.crt', ...cluster } },
      ],
      users: [
        {
          name: 'u',
          user: { exec: { apiVersion: v1, command: './bin/plugin.mjs', interactiveMode: 'Never', ...exec } },
        },
      ],
      contexts: [{ name: 'main', context: { cluster: 'c', user: 'u' } }],
    }),
  );
  return loadConnection(file);
}

describe('exec plugins handing out client certificates', () => {
  it('uses the certificate and key (v1beta1) as the client certificate, one run for concurrent callers', async () => {
    const plugin = fakeExecPlugin();
    const status = { clientCertificateData: 'CERT PEM', clientKeyData: 'KEY PEM', expirationTimestamp: futureExpiry() };
    plugin.behave({ stdout: execCredential(v1beta1, status) });
    const connection = connectionWith(plugin, { apiVersion: v1beta1 });
    const answers = await Promise.all([
      connection.clientCertificate?.(),
      connection.clientCertificate?.(),
      connection.authHeaders(),
    ]);
    assert.equal(answers[0]?.cert.toString(), 'CERT PEM');
    assert.equal(answers[0]?.key.toString(), 'KEY PEM');
    assert.deepEqual(answers[2], {}, 'no token, no Authorization header');
    assert.equal(plugin.runs().length, 1);
  });

  it('uses a token and a certificate handed out together', async () => {
    const plugin = fakeExecPlugin();
    plugin.behave({ stdout: execCredential(v1, { token: 'both', clientCertificateData: 'C', clientKeyData: 'K' }) });
    const connection = connectionWith(plugin);
    assert.deepEqual(await connection.authHeaders(), { Authorization: 'Bearer both' });
    assert.equal((await connection.clientCertificate?.())?.cert.toString(), 'C');
  });

  it('refuses a certificate without its key, quoting neither', async () => {
    const plugin = fakeExecPlugin();
    plugin.behave({ stdout: execCredential(v1, { clientCertificateData: 'SECRET-CERT' }) });
    await assert.rejects(connectionWith(plugin).authHeaders(), (error: Error) => {
      assert.match(error.message, /plugin\.mjs returned clientCertificateData without clientKeyData$/);
      return true;
    });
  });
});

describe('caching by expirationTimestamp', () => {
  it('re-runs the plugin once the credential has expired, and not before', async () => {
    const plugin = fakeExecPlugin();
    const connection = connectionWith(plugin);
    plugin.behave({ stdout: execCredential(v1, { token: 'first', expirationTimestamp: pastExpiry }) });
    assert.deepEqual(await connection.authHeaders(), { Authorization: 'Bearer first' });
    plugin.behave({ stdout: execCredential(v1, { token: 'second', expirationTimestamp: futureExpiry() }) });
    assert.deepEqual(await connection.authHeaders(), { Authorization: 'Bearer second' }, 'expired: run again');
    assert.deepEqual(await connection.authHeaders(), { Authorization: 'Bearer second' }, 'valid: cached');
    assert.equal(plugin.runs().length, 2);
  });

  it('keeps a credential without expirationTimestamp for the life of the process', async () => {
    const plugin = fakeExecPlugin();
    plugin.behave({ stdout: execCredential(v1, { token: 'forever' }) });
    const connection = connectionWith(plugin);
    await connection.authHeaders();
    await connection.authHeaders();
    assert.equal(plugin.runs().length, 1);
  });
});

describe('KUBERNETES_EXEC_INFO', () => {
  it('says the session is not interactive and describes the cluster when the plugin asks', async () => {
    const plugin = fakeExecPlugin();
    plugin.behave({ stdout: execCredential(v1, { token: 't' }) });
    const extension = { audience: 'landlord' };
    const connection = connectionWith(
      plugin,
      { provideClusterInfo: true, env: [{ name: 'PLUGIN_SETTING', value: 'from-kubeconfig' }] },
      {
        'tls-server-name': 'kubernetes',
        extensions: [{ name: 'client.authentication.k8s.io/exec', extension }],
      },
    );
    await connection.authHeaders();
    const [run] = plugin.runs();
    assert.deepEqual(run?.execInfo, {
      apiVersion: v1,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: {
          server: 'https://127.0.0.1:6443',
          'tls-server-name': 'kubernetes',
          'certificate-authority-data': Buffer.from('CA PEM').toString('base64'),
          config: extension,
        },
      },
    });
    assert.equal(run?.configuredEnv, 'from-kubeconfig');
  });

  it('leaves the cluster out unless provideClusterInfo is set', async () => {
    const plugin = fakeExecPlugin();
    plugin.behave({ stdout: execCredential(v1, { token: 't' }) });
    await connectionWith(plugin).authHeaders();
    assert.deepEqual(plugin.runs()[0]?.execInfo.spec, { interactive: false });
  });
});

describe('refusals and failures name the plugin and never quote its output', () => {
  it('interactiveMode Always is refused when the kubeconfig is loaded', () => {
    assert.throws(() => connectionWith(fakeExecPlugin(), { interactiveMode: 'Always' }), {
      message:
        /config: user u: exec credential plugin \/\S+\/bin\/plugin\.mjs: interactiveMode Always needs a terminal/,
    });
  });

  it('an apiVersion other than v1 and v1beta1 is refused', () => {
    assert.throws(() => connectionWith(fakeExecPlugin(), { apiVersion: 'client.authentication.k8s.io/v1alpha1' }), {
      message: /apiVersion "client.authentication.k8s.io\/v1alpha1" is not one of client.authentication.k8s.io\/v1, /,
    });
  });

  it('a failing plugin: its exit code and stderr, not its stdout', async () => {
    const plugin = fakeExecPlugin();
    plugin.behave({ stdout: 'half-a-token', stderr: 'error: you must log in first\n', code: 3 });
    await assert.rejects(connectionWith(plugin).authHeaders(), (error: Error) => {
      assert.match(error.message, /plugin\.mjs exited with code 3: error: you must log in first$/);
      assert.doesNotMatch(error.message, /half-a-token/);
      return true;
    });
  });

  it('output that is not JSON, or not an ExecCredential of the configured version', async () => {
    const plugin = fakeExecPlugin();
    const connection = connectionWith(plugin);
    plugin.behave({ stdout: 'token=abc' });
    await assert.rejects(connection.authHeaders(), {
      message: /plugin\.mjs printed no JSON ExecCredential \(9 characters on stdout\)$/,
    });
    plugin.behave({ stdout: execCredential(v1beta1, { token: 'abc' }) });
    await assert.rejects(connection.authHeaders(), {
      message:
        /answered kind ExecCredential of client.authentication.k8s.io\/v1beta1; expected ExecCredential of client.authentication.k8s.io\/v1$/,
    });
    plugin.behave({ stdout: execCredential(v1, {}) });
    await assert.rejects(connection.authHeaders(), { message: /returned neither a token nor a client certificate$/ });
  });

  it('a plugin that is not installed: the error and the install hint', async () => {
    const plugin = fakeExecPlugin();
    const connection = connectionWith(plugin, {
      command: 'landlord-no-such-plugin',
      installHint: 'Install it with: apt install x',
    });
    await assert.rejects(connection.authHeaders(), {
      message:
        /^exec credential plugin landlord-no-such-plugin could not be run: spawn landlord-no-such-plugin ENOENT\nInstall it with: apt install x$/,
    });
  });
});

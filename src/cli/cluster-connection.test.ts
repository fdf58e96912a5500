import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { type ClusterSources, clusterConnection } from './cluster-connection.ts';
import { leaseNamespaceFor } from './commands/operator.ts';
import { CliError, ExitCode } from './exit-codes.ts';

/** A kubeconfig file whose only cluster is `server`. */
function kubeconfig(path: string, server: string): string {
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'main',
      clusters: [{ name: 'main', cluster: { server } }],
      users: [{ name: 'main', user: { token: 'kubeconfig-token' } }],
      contexts: [{ name: 'main', context: { cluster: 'main', user: 'main' } }],
    }),
  );
  return path;
}

/**
 * Every place a cluster can come from, each present unless left out: a --kubeconfig file, KUBECONFIG, a pod's
 * ServiceAccount (token, CA, namespace, and the service variables the kubelet sets), ~/.kube/config and the local
 * environment.
 */
function places(absent: ('KUBECONFIG' | 'pod' | 'pod variables' | 'home' | 'local')[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'landlord-cluster-'));
  const serviceAccountDir = join(dir, 'serviceaccount');
  if (!absent.includes('pod')) {
    mkdirSync(serviceAccountDir);
    writeFileSync(join(serviceAccountDir, 'token'), 'pod-token\n');
    writeFileSync(join(serviceAccountDir, 'ca.crt'), 'pod-ca');
    writeFileSync(join(serviceAccountDir, 'namespace'), 'ops-system');
  }
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  if (!absent.includes('home')) kubeconfig(join(home, '.kube', 'config'), 'https://home:6443');
  const local = absent.includes('local') ? undefined : kubeconfig(join(dir, 'local'), 'https://local:6443');
  const sources: ClusterSources = {
    env: {
      KUBECONFIG: absent.includes('KUBECONFIG') ? undefined : kubeconfig(join(dir, 'env'), 'https://env:6443'),
      ...(absent.includes('pod variables')
        ? {}
        : { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }),
    },
    home,
    serviceAccountDir,
    localKubeconfig: async () => local,
  };
  return { dir, sources, flag: kubeconfig(join(dir, 'flag'), 'https://flag:6443') };
}

describe('which cluster a command works on (client-go and controller-runtime order)', () => {
  it('--kubeconfig first, over every other place', async () => {
    const { sources, flag } = places();
    const found = await clusterConnection(flag, 'manage', sources);
    assert.equal(found.connection.server, 'https://flag:6443');
    assert.equal(found.source, `--kubeconfig ${flag}`);
    assert.equal(found.podNamespace, undefined, 'a kubeconfig says nothing of a pod');
  });

  it('then KUBECONFIG, over a pod, ~/.kube/config and the local environment', async () => {
    const { sources } = places();
    const found = await clusterConnection(undefined, 'manage', sources);
    assert.equal(found.connection.server, 'https://env:6443');
    assert.equal(found.source, 'KUBECONFIG');
  });

  it("then, in a pod, its ServiceAccount: over ~/.kube/config and never the local environment's", async () => {
    const { sources } = places(['KUBECONFIG']);
    const found = await clusterConnection(undefined, 'manage', sources);
    assert.equal(found.connection.server, 'https://10.96.0.1:443');
    assert.equal(found.source, 'in-cluster (ServiceAccount)');
    assert.deepEqual(await found.connection.authHeaders(), { Authorization: 'Bearer pod-token' });
    assert.equal(found.connection.ca?.toString(), 'pod-ca');
    assert.equal(found.podNamespace, 'ops-system', "the pod's own namespace, from the ServiceAccount's files");
  });

  it('re-reads the projected token, which the kubelet rotates', async () => {
    const { sources } = places(['KUBECONFIG']);
    const found = await clusterConnection(undefined, 'manage', sources);
    writeFileSync(join(sources.serviceAccountDir, 'token'), 'rotated-token');
    assert.deepEqual(await found.connection.authHeaders(), { Authorization: 'Bearer rotated-token' });
  });

  it('an IPv6 service address is bracketed', async () => {
    const { sources } = places(['KUBECONFIG']);
    sources.env.KUBERNETES_SERVICE_HOST = 'fd00::1';
    assert.equal((await clusterConnection(undefined, 'manage', sources)).connection.server, 'https://[fd00::1]:443');
  });

  it('ServiceAccount files without the service variables are not a pod (client-go requires both)', async () => {
    const { sources } = places(['KUBECONFIG', 'pod variables']);
    const found = await clusterConnection(undefined, 'manage', sources);
    assert.equal(found.source, '~/.kube/config');
    assert.equal(found.connection.server, 'https://home:6443');
  });

  it('an empty KUBECONFIG counts as unset, as for kubectl', async () => {
    const { sources } = places(['pod']);
    sources.env.KUBECONFIG = '';
    assert.equal((await clusterConnection(undefined, 'manage', sources)).source, '~/.kube/config');
  });

  it('then ~/.kube/config, over the local environment', async () => {
    const { sources } = places(['KUBECONFIG', 'pod']);
    const found = await clusterConnection(undefined, 'manage', sources);
    assert.equal(found.connection.server, 'https://home:6443');
    assert.equal(found.source, '~/.kube/config');
  });

  it('the local environment last, only when nothing else is there', async () => {
    const { dir, sources } = places(['KUBECONFIG', 'pod', 'home']);
    const found = await clusterConnection(undefined, 'manage', sources);
    assert.equal(found.connection.server, 'https://local:6443');
    assert.equal(found.source, `the local environment (${join(dir, 'local')})`);
  });

  it('nowhere: exit 3, naming every place looked at', async () => {
    const { sources } = places(['KUBECONFIG', 'pod', 'home', 'local']);
    await assert.rejects(
      clusterConnection(undefined, 'manage', sources),
      (error: unknown) =>
        error instanceof CliError &&
        error.exitCode === ExitCode.environment &&
        /no cluster to manage: pass --kubeconfig, set KUBECONFIG, run in a pod with a ServiceAccount, write ~\/\.kube\/config, or run `landlord dev up`/.test(
          error.message,
        ),
    );
  });

  it('a --kubeconfig that does not exist is an error, never a fallback to another cluster', async () => {
    const { dir, sources } = places();
    await assert.rejects(clusterConnection(join(dir, 'missing'), 'manage', sources), /missing does not exist/);
  });
});

describe("the operator's lease namespace", () => {
  it("is the flag's, else the pod's own namespace, else landlord-system (where deploy/rbac grants the lease)", async () => {
    assert.equal(leaseNamespaceFor('ops', { podNamespace: 'ops-system' }), 'ops');
    const { sources } = places(['KUBECONFIG']);
    assert.equal(leaseNamespaceFor(undefined, await clusterConnection(undefined, 'manage', sources)), 'ops-system');
    const outside = places(['KUBECONFIG', 'pod']);
    assert.equal(
      leaseNamespaceFor(undefined, await clusterConnection(undefined, 'manage', outside.sources)),
      'landlord-system',
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ArgoCdLayout, argoCdComponents, redisConfig } from './components.ts';

const layout: ArgoCdLayout = {
  argocd: '/cache/argocd',
  redisServer: '/usr/bin/redis-server',
  helm: '/cache/helm/helm',
  kustomize: '/cache/kustomize/kustomize',
  kubeconfigs: {
    'argocd-repo-server': '/cache/env/argocd/identity/argocd-repo-server.kubeconfig',
    'argocd-application-controller': '/cache/env/argocd/identity/argocd-application-controller.kubeconfig',
    'argocd-server': '/cache/env/argocd/identity/argocd-server.kubeconfig',
  },
  namespace: 'argocd',
  address: '127.0.0.1',
  commandLine: { insecure: true, applicationNamespaces: '*', quickResync: true },
  dir: '/cache/env/argocd',
  askPassSocket: '/cache/env/argocd/askpass.sock',
  redisConfigFile: '/cache/env/argocd/redis.conf',
  redisPassword: 'not-on-any-command-line',
  ports: {
    redis: 1,
    argocdRepoServer: 2,
    argocdRepoServerMetrics: 3,
    argocdServer: 4,
    argocdServerMetrics: 5,
    argocdControllerMetrics: 6,
  },
};

describe('the local Argo CD processes', () => {
  const components = argoCdComponents(layout);

  it('start in order: cache, repo-server, controller, API server', () => {
    assert.deepEqual(
      components.map((c) => c.name),
      ['redis', 'argocd-repo-server', 'argocd-application-controller', 'argocd-server'],
    );
  });

  it('never put the cache password on a command line (ps shows those to every user), only in files and env', () => {
    for (const component of components) assert.ok(!component.args.join(' ').includes(layout.redisPassword));
    assert.match(redisConfig(layout), new RegExp(`^requirepass ${layout.redisPassword}$`, 'm'));
    for (const component of components.slice(1)) assert.equal(component.env?.REDIS_PASSWORD, layout.redisPassword);
  });

  it('bind every listener they let us choose to loopback', () => {
    const addressOf = (name: string, flag: string) => {
      const args = components.find((c) => c.name === name)?.args ?? [];
      return args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined;
    };
    for (const name of ['argocd-repo-server', 'argocd-server']) {
      assert.equal(addressOf(name, '--address'), '127.0.0.1', name);
      assert.equal(addressOf(name, '--metrics-address'), '127.0.0.1', `${name} metrics`);
    }
    assert.match(redisConfig(layout), /^bind 127\.0\.0\.1$/m);
  });

  it('run Argo CD outside the cluster, each process as its own account (never the admin), in its namespace', () => {
    for (const component of components.slice(1)) {
      assert.equal(component.env?.ARGOCD_FAKE_IN_CLUSTER, 'true');
      assert.equal(component.env?.KUBECONFIG, `/cache/env/argocd/identity/${component.name}.kubeconfig`);
    }
    const server = components.find((c) => c.name === 'argocd-server');
    assert.deepEqual(server?.args.slice(server.args.indexOf('--namespace'), server.args.indexOf('--namespace') + 2), [
      '--namespace',
      'argocd',
    ]);
  });

  it('give the repo-server helm, kustomize and the helper scripts on its PATH', () => {
    const path = components.find((c) => c.name === 'argocd-repo-server')?.env?.PATH ?? '';
    for (const dir of ['/cache/env/argocd/bin', '/cache/helm', '/cache/kustomize'])
      assert.ok(path.split(':').includes(dir));
  });

  it('give the repo-server an askpass socket of its own (a second Argo CD on the machine would take the fixed one)', () => {
    const repoServer = components.find((c) => c.name === 'argocd-repo-server');
    assert.equal(repoServer?.env?.ARGOCD_ASK_PASS_SOCK, '/cache/env/argocd/askpass.sock');
    const withoutOne = argoCdComponents({ ...layout, askPassSocket: undefined });
    assert.equal(withoutOne.find((c) => c.name === 'argocd-repo-server')?.env?.ARGOCD_ASK_PASS_SOCK, undefined);
  });
});

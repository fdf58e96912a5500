import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argoCdComponents, redisConfig } from '../argocd/components.ts';
import {
  containerEnvironment,
  houseArgoCdLayout,
  houseArgoCdPorts,
  houseArgoCdServerPort,
  houseMaySet,
  type KeyedValues,
} from './house-argocd-layout.ts';

const address = '127.77.1.2';
const binaries = { argocd: '/cache/argocd', redisServer: '/usr/bin/redis-server', helm: '/c/helm', kustomize: '/c/kz' };
const plan = {
  address,
  dir: '/env/houses/pods/uid-1/argocd',
  namespace: 'argocd',
  redisPassword: 'abcDEF-0123456789',
  url: `http://${address}:8080`,
  env: {
    'argocd-server': { ARGOCD_SERVER_INSECURE: 'true' },
    'argocd-repo-server': {},
    'argocd-application-controller': { ARGOCD_CONTROLLER_REPLICAS: '1' },
  },
};
const argOf = (args: string[], flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);

describe("a house's Argo CD layout", () => {
  const layout = houseArgoCdLayout(plan, binaries);
  const components = argoCdComponents(layout);

  it("binds every listener it chooses to the house's own address, never 127.0.0.1 or every address", () => {
    for (const name of ['argocd-repo-server', 'argocd-server']) {
      const args = components.find((c) => c.name === name)?.args ?? [];
      assert.equal(argOf(args, '--metrics-address'), address, name);
    }
    const repoServer = components.find((c) => c.name === 'argocd-repo-server')?.args ?? [];
    assert.equal(argOf(repoServer, '--address'), address);
    assert.match(redisConfig(layout), new RegExp(`^bind ${address.replaceAll('.', '\\.')}$`, 'm'));
    for (const name of ['argocd-application-controller', 'argocd-server'])
      assert.equal(argOf(components.find((c) => c.name === name)?.args ?? [], '--redis'), `${address}:6379`);
  });

  it('runs the API server on 127.0.0.1 at upstream’s port, in its own network namespace (it dials itself at localhost)', () => {
    const args = components.find((c) => c.name === 'argocd-server')?.args ?? [];
    assert.equal(argOf(args, '--address'), '127.0.0.1');
    assert.equal(argOf(args, '--port'), String(houseArgoCdPorts.argocdServer));
  });

  it("gives the controller's metrics upstream's port, distinct from every other listener of the namespace", () => {
    const args = components.find((c) => c.name === 'argocd-application-controller')?.args ?? [];
    assert.equal(argOf(args, '--metrics-port'), '8082');
    const ports = Object.values(houseArgoCdPorts);
    assert.equal(new Set(ports).size, ports.length);
  });

  it('takes its settings from the house (env), not from the host Argo CD’s command line', () => {
    const server = components.find((c) => c.name === 'argocd-server');
    assert.ok(!server?.args.includes('--insecure'), 'insecure comes from the house’s server.insecure');
    assert.ok(!server?.args.includes('--application-namespaces'));
    assert.equal(server?.env?.ARGOCD_SERVER_INSECURE, 'true');
    const controller = components.find((c) => c.name === 'argocd-application-controller');
    assert.ok(!controller?.args.includes('--app-resync'));
    assert.equal(controller?.env?.ARGOCD_CONTROLLER_REPLICAS, '1');
  });

  it("acts as the house's own accounts, from files in the house's folder", () => {
    for (const component of components.slice(1))
      assert.equal(component.env?.KUBECONFIG, `${plan.dir}/identity/${component.name}.kubeconfig`);
  });

  it("listens on argocd-cm's url port when the url is the house's address, else on upstream's 8080", () => {
    assert.equal(houseArgoCdServerPort(`http://${address}:9090`, address), 9090);
    assert.equal(houseArgoCdServerPort('https://argocd-a.example.com', address), 8080);
    assert.equal(houseArgoCdServerPort(undefined, address), 8080);
    assert.equal(houseArgoCdServerPort('not a url', address), 8080);
  });

  it('refuses a cache password that would add settings to redis.conf (a line break, a space)', () => {
    for (const password of ['x\ndir /root/.ssh', 'x dbfilename authorized_keys', ''])
      assert.throws(() => redisConfig({ ...layout, redisPassword: password }), /may hold only letters/);
  });
});

describe("a house's Argo CD container environment, as a kubelet resolves it", () => {
  const configMaps: KeyedValues = new Map([['argocd-cmd-params-cm', { 'server.insecure': 'true' }]]);
  const secrets: KeyedValues = new Map([['argocd-redis', { auth: 'pw' }]]);

  it('resolves ConfigMap keys and literals, skips absent optional keys, names absent required ones', () => {
    const result = containerEnvironment(
      [
        {
          name: 'ARGOCD_SERVER_INSECURE',
          valueFrom: { configMapKeyRef: { name: 'argocd-cmd-params-cm', key: 'server.insecure', optional: true } },
        },
        {
          name: 'ARGOCD_SERVER_ROOTPATH',
          valueFrom: { configMapKeyRef: { name: 'argocd-cmd-params-cm', key: 'server.rootpath', optional: true } },
        },
        { name: 'ARGOCD_CONTROLLER_REPLICAS', value: '1' },
        { name: 'ARGOCD_X', valueFrom: { configMapKeyRef: { name: 'argocd-cm', key: 'x' } } },
      ],
      configMaps,
      secrets,
    );
    assert.deepEqual(result.env, { ARGOCD_SERVER_INSECURE: 'true', ARGOCD_CONTROLLER_REPLICAS: '1' });
    assert.deepEqual(result.missing, ['ConfigMap argocd-cm key x']);
  });

  it('lets the team set none of what would run its code or read files as this machine’s root', () => {
    const hostile = new Map([
      ['argocd-cmd-params-cm', { 'server.staticassets': '/', preload: '/tmp/evil.so', path: '/tmp/bin' }],
    ]);
    const result = containerEnvironment(
      [
        { name: 'LD_PRELOAD', valueFrom: { configMapKeyRef: { name: 'argocd-cmd-params-cm', key: 'preload' } } },
        { name: 'PATH', valueFrom: { configMapKeyRef: { name: 'argocd-cmd-params-cm', key: 'path' } } },
        { name: 'GIT_SSH_COMMAND', value: 'sh -c id' },
        { name: 'KUBECONFIG', value: 'admin' },
        {
          name: 'ARGOCD_SERVER_STATICASSETS',
          valueFrom: { configMapKeyRef: { name: 'argocd-cmd-params-cm', key: 'server.staticassets' } },
        },
        { name: 'ARGOCD_FAKE_IN_CLUSTER', value: 'false' },
        { name: 'ARGOCD_GPG_ENABLED', value: 'true' },
      ],
      hostile,
      secrets,
    );
    assert.deepEqual(result.env, {});
    assert.equal(houseMaySet('ARGOCD_SERVER_STATICASSETS', '../../../..'), false);
    assert.equal(houseMaySet('ARGOCD_SERVER_STATICASSETS', '~root'), false);
    assert.equal(houseMaySet('ARGOCD_SERVER_ROOTPATH', '/argo-cd'), true);
    assert.equal(houseMaySet('ARGOCD_RECONCILIATION_TIMEOUT', '180s'), true);
    assert.equal(houseMaySet('REDIS_PASSWORD', 'x'), false);
  });
});

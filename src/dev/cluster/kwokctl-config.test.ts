import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { auditPolicyFile, renderKwokctlConfig } from './kwokctl-config.ts';
import { clusterPorts } from './local-cluster.ts';

/** The KwokctlConfiguration document (the first; KWOK's stages follow it). */
const parse = (config: string) => parseAllDocuments(config)[0]?.toJS();

const binaries = {
  etcd: '/cache/etcd',
  kubeApiserver: '/cache/kube-apiserver',
  kubeControllerManager: '/cache/kube-controller-manager',
  kubeScheduler: '/cache/kube-scheduler',
  kubectl: '/cache/kubectl',
  kwok: '/cache/kwok',
};

it('configures a binary-runtime cluster on loopback with our binaries, admission and authorization', () => {
  const cluster = { name: 'c', basePort: 21000, workdir: '/w' };
  const { options } = parse(renderKwokctlConfig(cluster, binaries));
  assert.equal(options.runtime, 'binary');
  assert.equal(options.bindAddress, '127.0.0.1');
  assert.equal(options.kubeAuthorization, true);
  assert.equal(options.kubeAdmission, true);
  assert.equal(options.kubeApiserverBinary, '/cache/kube-apiserver');
  assert.equal(options.kwokControllerBinary, '/cache/kwok');
  const ports = [
    options.kubeApiserverPort,
    options.etcdPort,
    options.etcdPeerPort,
    options.kubeControllerManagerPort,
    options.kubeSchedulerPort,
    options.kwokControllerPort,
  ];
  assert.deepEqual(ports.toSorted(), Object.values(clusterPorts(cluster)).toSorted());
  assert.equal(new Set(ports).size, ports.length, 'no two components share a port');
});

it('runs each controller as its own ServiceAccount and audits writes, so admission policies can tell them apart', () => {
  const config = parse(renderKwokctlConfig({ name: 'c', basePort: 21000, workdir: '/w' }, binaries));
  const patches = config.componentsPatches as { name: string; extraArgs: { key: string; value: string }[] }[];
  const controllerManager = patches.find((patch) => patch.name === 'kube-controller-manager');
  assert.deepEqual(controllerManager?.extraArgs, [{ key: 'use-service-account-credentials', value: 'true' }]);
  assert.equal(config.options.kubeAuditPolicy, auditPolicyFile);
  assert.ok(existsSync(auditPolicyFile));
  const policy = parse(readFileSync(auditPolicyFile, 'utf8'));
  assert.equal(policy.kind, 'Policy');
  assert.equal(policy.rules.at(-1).level, 'None', 'what is not listed is not recorded');
});

it('caps ServiceAccount tokens at one hour, extending none (pods included)', () => {
  const config = parse(renderKwokctlConfig({ name: 'c', basePort: 21000, workdir: '/w' }, binaries));
  const patches = config.componentsPatches as { name: string; extraArgs: { key: string; value: string }[] }[];
  const args = patches.find((patch) => patch.name === 'kube-apiserver')?.extraArgs ?? [];
  const flag = (key: string) => args.find((arg) => arg.key === key)?.value;
  assert.equal(flag('service-account-max-token-expiration'), '1h');
  assert.equal(flag('service-account-extend-token-expiration'), 'false');
});

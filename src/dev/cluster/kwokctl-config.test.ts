import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parse } from 'yaml';
import { renderKwokctlConfig } from './kwokctl-config.ts';
import { clusterPorts } from './local-cluster.ts';

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

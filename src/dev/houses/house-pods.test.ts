import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Pod, PodSpec } from 'kubernetes-types/core/v1.js';
import { containerCommand, containerEnv, exportedServer, isLoopbackAddress, refusal, shouldRun } from './house-pods.ts';

const pod = (change: (pod: Pod) => void = () => {}): Pod => {
  const base: Pod = {
    metadata: { name: 'team1-0', namespace: 'vcluster-team1', uid: 'u-1', labels: { app: 'vcluster' } },
    spec: {
      nodeName: 'shared-1',
      serviceAccountName: 'vc-team1',
      securityContext: { runAsUser: 10001 },
      containers: [
        {
          name: 'syncer',
          image: 'registry.landlord.local/loft-sh/vcluster-oss:0.36.1',
          env: [
            { name: 'VCLUSTER_NAME', value: 'team1' },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
            { name: 'GREETING', value: 'in $(VCLUSTER_NAME)' },
          ],
        },
      ],
    },
    status: { phase: 'Running', podIP: '10.0.0.7' },
  };
  change(base);
  return base;
};
const syncer = (p: Pod) => p.spec?.containers[0] as NonNullable<Pod['spec']>['containers'][number];

it('resolves the env as the kubelet does: literals, $(VAR) references and the pod fields', () => {
  const p = pod();
  assert.deepEqual(containerEnv(p, syncer(p)), {
    VCLUSTER_NAME: 'team1',
    POD_NAME: 'team1-0',
    POD_IP: '10.0.0.7',
    APP: 'vcluster',
    GREETING: 'in team1',
  });
});

it('refuses env it cannot serve, naming the field', () => {
  const p = pod((each) =>
    syncer(each).env?.push({ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.hostname' } } }),
  );
  assert.throws(() => containerEnv(p, syncer(p)), /fieldPath: "spec.hostname" is not served here; use metadata.name/);
  const q = pod((each) =>
    syncer(each).env?.push({ name: 'S', valueFrom: { secretKeyRef: { name: 'other', key: 'token' } } }),
  );
  assert.throws(() => containerEnv(q, syncer(q)), /env S: valueFrom secretKeyRef is not served here/);
});

it('runs only the image entrypoint with the pod args, and refuses a command of the pod or a root user', () => {
  const p = pod((each) => (syncer(each).args = ['--config', '/var/lib/vcluster/config.yaml']));
  assert.deepEqual(containerCommand(syncer(p), '/img/vcluster'), [
    '/img/vcluster',
    'start',
    '--config',
    '/var/lib/vcluster/config.yaml',
  ]);
  assert.equal(refusal(p, syncer(p)), undefined);
  const shell = pod((each) => (syncer(each).command = ['sh', '-c', 'id']));
  assert.match(refusal(shell, syncer(shell)) ?? '', /command \["sh","-c","id"\] is refused/);
  const root = pod((each) => ((each.spec as PodSpec).securityContext = {}));
  assert.match(refusal(root, syncer(root)) ?? '', /runAsUser unset is refused/);
  const zero = pod((each) => (syncer(each).securityContext = { runAsUser: 0 }));
  assert.match(refusal(zero, syncer(zero)) ?? '', /runAsUser 0 is refused/);
});

it('runs a pod only once scheduled, and not while it terminates or after it finished', () => {
  assert.equal(shouldRun(pod()), true);
  assert.equal(shouldRun(pod((each) => delete (each.spec as PodSpec).nodeName)), false);
  assert.equal(
    shouldRun(pod((each) => (each.metadata = { ...each.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' }))),
    false,
  );
  assert.equal(shouldRun(pod((each) => ((each.status as NonNullable<Pod['status']>).phase = 'Failed'))), false);
});

it('reads the exported server as the house address, served only when it is a loopback address', () => {
  assert.deepEqual(exportedServer({ exportKubeConfig: { server: 'https://127.90.1.2' } }), {
    host: '127.90.1.2',
    port: 443,
  });
  assert.deepEqual(exportedServer({ exportKubeConfig: { server: 'https://127.0.0.9:8443' } })?.port, 8443);
  assert.equal(exportedServer({}), undefined);
  assert.equal(isLoopbackAddress('127.90.1.2'), true);
  assert.equal(isLoopbackAddress('10.0.0.1'), false);
  assert.equal(isLoopbackAddress('vcluster-a.example.com'), false);
});

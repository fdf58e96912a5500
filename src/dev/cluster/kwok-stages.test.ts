import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { type KwokStage } from './kwok-stages.ts';
import { renderKwokctlConfig } from './kwokctl-config.ts';

const binaries = {
  etcd: 'e',
  kubeApiserver: 'a',
  kubeControllerManager: 'm',
  kubeScheduler: 's',
  kubectl: 'k',
  kwok: 'w',
};
const documents = parseAllDocuments(renderKwokctlConfig({ name: 'c', basePort: 21000, workdir: '/w' }, binaries)).map(
  (document) => document.toJS() as { kind: string },
);
const stages = documents.filter((document): document is KwokStage => document.kind === 'Stage');
const named = (name: string) => stages.find((stage) => stage.metadata.name === name);
const template = (name: string) => named(name)?.spec.next.patches?.[0]?.template ?? '';

it('gives kwokctl the whole set of stages, one of each name, after its configuration', () => {
  assert.equal(documents[0]?.kind, 'KwokctlConfiguration');
  const names = stages.map((stage) => stage.metadata.name);
  // kwokctl keeps none of its defaults once one Stage is given: each of their roles must be here.
  const expected = [
    'node-initialize',
    'node-heartbeat-with-lease',
    'pod-ready',
    'pod-conditions-restored',
    'pod-resized',
    'pod-complete',
    'pod-delete',
  ];
  assert.deepEqual(names.toSorted(), expected.toSorted());
  assert.equal(documents.length, 1 + expected.length);
});

it('reports each running container resources (requests and limits) and its allocated requests, as a kubelet does', () => {
  const ready = template('pod-ready');
  assert.match(ready, /resources: \{\{ pick \$resources "requests" "limits" \| toJson \}\}/);
  assert.match(ready, /allocatedResources:/);
  assert.match(ready, /readinessGates/, 'readiness gates still become true');
  assert.match(ready, /eq \(or \.restartPolicy ""\) "Always"/, 'sidecar init containers keep running');
  assert.match(ready, /PodIPsWith/, 'pods still get an IP');
});

it('follows a resize only for running pods whose reported resources differ from their spec', () => {
  const resized = named('pod-resized');
  const keys = resized?.spec.selector.matchExpressions.map((requirement) => requirement.key) ?? [];
  assert.ok(keys.some((key) => key.includes('.spec.containers') && key.includes('.status.containerStatuses')));
  assert.ok(keys.includes('.metadata.deletionTimestamp'), 'a pod being deleted is left to pod-delete');
  assert.match(template('pod-resized'), /set \$status "resources"/);
});

it('deletes terminating pods and completes only Job pods', () => {
  assert.equal(named('pod-delete')?.spec.next.delete, true);
  const owners = named('pod-complete')?.spec.selector.matchExpressions.find((requirement) =>
    requirement.key.includes('ownerReferences'),
  );
  assert.deepEqual(owners?.values, ['Job']);
});

it('refreshes a ready node status every few minutes (KWOK renews its lease)', () => {
  const delay = named('node-heartbeat-with-lease')?.spec.delay;
  assert.ok(delay && delay.durationMilliseconds > 0 && delay.durationMilliseconds <= 300_000);
});

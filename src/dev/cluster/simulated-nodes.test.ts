import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildSimulatedNodes, instanceTypeLabel, nodePoolLabel } from './simulated-nodes.ts';

it('builds shared workers and tainted spare nodes, all managed by KWOK', () => {
  const nodes = buildSimulatedNodes({ shared: 2, spare: 3 });
  assert.deepEqual(
    nodes.map((node) => node.metadata?.name),
    ['worker-1', 'worker-2', 'spare-01', 'spare-02', 'spare-03'],
  );
  for (const node of nodes) assert.equal(node.metadata?.annotations?.['kwok.x-k8s.io/node'], 'fake');
  const spare = nodes.filter((node) => node.metadata?.labels?.[nodePoolLabel] === 'spare');
  assert.equal(spare.length, 3);
  for (const node of spare)
    assert.deepEqual(node.spec?.taints, [{ key: nodePoolLabel, value: 'spare', effect: 'NoSchedule' }]);
  const shared = nodes.filter((node) => node.metadata?.labels?.[nodePoolLabel] === 'shared');
  assert.equal(shared.length, 2);
  for (const node of shared) assert.deepEqual(node.spec?.taints, []);
});

it('gives the spare nodes a mix of instance types, several of each', () => {
  const spare = buildSimulatedNodes().filter((node) => node.metadata?.labels?.[nodePoolLabel] === 'spare');
  const count = (type: string) => spare.filter((node) => node.metadata?.labels?.[instanceTypeLabel] === type).length;
  assert.deepEqual([count('standard'), count('compute-optimized'), count('memory-optimized')], [7, 7, 6]);
});

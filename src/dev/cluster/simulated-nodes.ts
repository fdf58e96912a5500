import type { Node as V1Node, Taint as V1Taint } from 'kubernetes-types/core/v1.js';

/** Label that tells which pool a node belongs to: shared workers, or spare nodes for dedicated pools. */
export const nodePoolLabel = 'landlord.dev/node-pool';
/** Pool of nodes every tenant without a dedicated pool shares. */
export const sharedPool = 'shared';
/** Pool of idle nodes that dedicated node pools draw from. */
export const sparePool = 'spare';

/** How many simulated nodes of each pool the local cluster has. */
export interface NodeLayout {
  shared: number;
  spare: number;
}

/** Enough shared capacity for the examples, and enough spares for two full dedicated pools (size 10). */
export const defaultNodeLayout: NodeLayout = { shared: 3, spare: 20 };

/** The instance types of the spare nodes, in turn: several of each (20 spares: 7 standard, 7 compute, 6 memory). */
const spareInstanceTypes = ['standard', 'compute-optimized', 'memory-optimized'] as const;
/** The label naming a node's instance type (the well-known one; the platform configuration's default). */
export const instanceTypeLabel = 'node.kubernetes.io/instance-type';

/** Capacity of one simulated node: a typical 16-core, 64 GiB bank data-centre worker. */
const capacity = { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '200Gi' };

/** The simulated nodes of the local cluster; KWOK runs them (and their pods) without a kubelet. */
export function buildSimulatedNodes(layout: NodeLayout = defaultNodeLayout): V1Node[] {
  const shared = range(layout.shared).map((index) => buildNode(`worker-${index}`, sharedPool, [], 'standard'));
  // Spare nodes are tainted so nothing lands on them until a dedicated pool claims them.
  const spare = range(layout.spare).map((index) =>
    buildNode(
      `spare-${String(index).padStart(2, '0')}`,
      sparePool,
      [{ key: nodePoolLabel, value: sparePool, effect: 'NoSchedule' }],
      spareInstanceTypes[(index - 1) % spareInstanceTypes.length] ?? 'standard',
    ),
  );
  return [...shared, ...spare];
}

function buildNode(name: string, pool: string, taints: V1Taint[], instanceType: string): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        [nodePoolLabel]: pool,
        [instanceTypeLabel]: instanceType,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/worker': '',
        type: 'kwok',
      },
      // KWOK manages nodes with this annotation and fakes their kubelet.
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
    spec: { taints },
    status: { allocatable: capacity, capacity },
  };
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index + 1);
}

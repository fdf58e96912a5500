import type { Node } from 'kubernetes-types/core/v1.js';
import { defaultNodePoolSettings as settings } from '../../src/api/node-pool-settings.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { resources } from '../../src/kube/resources.ts';
import { claimedByUidAnnotation, drainingSinceAnnotation, nodeOwner } from '../../src/tenancy/node-pool.ts';

/** The local cluster's spare nodes (landlord.dev/node-pool=spare or claimed), as the API server has them now. */
export async function poolNodes(http: KubeHttp): Promise<Node[]> {
  const { items } = await http.request<{ items: Node[] }>({ method: 'GET', path: apiPath(resources.node) });
  return items.filter((node) => node.metadata?.name?.startsWith('spare-'));
}

/** One node now. */
export const getNode = (http: KubeHttp, name: string) =>
  http.request<Node>({ method: 'GET', path: apiPath(resources.node, { name }) });

/** The nodes a tenant owns by Landlord's label. */
export async function nodesOf(http: KubeHttp, tenant: string): Promise<Node[]> {
  return (await poolNodes(http)).filter((node) => nodeOwner(node, settings) === tenant);
}

/** What the pool's writes change on a node: labels, drain mark, taints, cordon (not heartbeats). */
export function poolFields(node: Node) {
  return {
    labels: node.metadata?.labels,
    draining: node.metadata?.annotations?.[drainingSinceAnnotation],
    taints: node.spec?.taints ?? [],
    unschedulable: node.spec?.unschedulable ?? false,
  };
}

const hasTaint = (node: Node, key: string, value: string) =>
  (node.spec?.taints ?? []).some(
    (taint) => taint.key === key && taint.value === value && taint.effect === 'NoSchedule',
  );

/**
 * Why a node is not wholly the team's (every label, the Tenant's UID, the dedicated taint, no spare taint), or
 * undefined. A node being drained has its placement and people's labels off.
 */
export function notFullyClaimed(node: Node, tenant: string, team: string): string | undefined {
  const { labels = {}, annotations = {} } = node.metadata ?? {};
  const draining = annotations[drainingSinceAnnotation] !== undefined;
  const expected: Record<string, string> = {
    [settings.ownerLabel]: tenant,
    [settings.spare.label]: settings.spare.claimedValue,
    ...(draining
      ? {}
      : {
          [settings.placementLabel]: team,
          ...Object.fromEntries(settings.displayLabels.map((key) => [key, team])),
        }),
  };
  for (const [key, value] of Object.entries(expected))
    if (labels[key] !== value) return `label ${key} is ${labels[key]}, not ${value}`;
  if (!annotations[claimedByUidAnnotation]) return `no ${claimedByUidAnnotation} annotation`;
  if (!hasTaint(node, settings.taintKey, team)) return `no ${settings.taintKey}=${team}:NoSchedule taint`;
  if (hasTaint(node, settings.spare.label, settings.spare.value)) return 'still has the spare taint';
  return undefined;
}

/** Why a node is not wholly back in the spare pool (no label or taint of a pool, spare taint, schedulable). */
export function notFullySpare(node: Node): string | undefined {
  const { labels = {}, annotations = {} } = node.metadata ?? {};
  for (const key of [settings.ownerLabel, settings.placementLabel, ...settings.displayLabels])
    if (labels[key] !== undefined) return `still labelled ${key}=${labels[key]}`;
  if (labels[settings.spare.label] !== settings.spare.value)
    return `${settings.spare.label} is ${labels[settings.spare.label]}`;
  if (annotations[drainingSinceAnnotation]) return 'still marked as draining';
  if (annotations[claimedByUidAnnotation]) return `still annotated ${claimedByUidAnnotation}`;
  return spareSpecProblem(node);
}

/** Why a node's spec is not a spare's: a dedicated taint, no spare taint, cordoned. */
function spareSpecProblem(node: Node): string | undefined {
  const { taints = [], unschedulable } = node.spec ?? {};
  if (taints.some((taint) => taint.key === settings.taintKey)) return 'still has a dedicated taint';
  if (!hasTaint(node, settings.spare.label, settings.spare.value)) return 'no spare taint';
  return unschedulable ? 'still cordoned' : undefined;
}

/** Every spare node either wholly claimed by one of the tenants or wholly spare: the problems found. */
export async function poolProblems(http: KubeHttp, tenants: Map<string, string>): Promise<string[]> {
  const problems: string[] = [];
  for (const node of await poolNodes(http)) {
    const owner = nodeOwner(node, settings);
    const problem = owner
      ? tenants.has(owner)
        ? notFullyClaimed(node, owner, tenants.get(owner) as string)
        : `owned by ${owner}, which is not a live tenant`
      : notFullySpare(node);
    if (problem) problems.push(`${node.metadata?.name}: ${problem}`);
  }
  return problems;
}

/** Puts a node back as the local cluster made it: a free spare (a test's hand-made labels and taints off). */
export async function restoreSpare(http: KubeHttp, node: Node): Promise<void> {
  const labels: Record<string, string | null> = Object.fromEntries(
    [settings.ownerLabel, settings.placementLabel, ...settings.displayLabels].map((key) => [key, null]),
  );
  labels[settings.spare.label] = settings.spare.value;
  await http.request({
    method: 'PATCH',
    path: apiPath(resources.node, { name: node.metadata?.name ?? '' }),
    contentType: 'application/merge-patch+json',
    body: {
      metadata: { labels, annotations: { [drainingSinceAnnotation]: null, [claimedByUidAnnotation]: null } },
      spec: {
        taints: [{ key: settings.spare.label, value: settings.spare.value, effect: 'NoSchedule' }],
        unschedulable: null,
      },
    },
  });
}

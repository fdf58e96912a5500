import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../api/platform-config.ts';
import type { Tenant, TenantSpec } from '../api/tenant.ts';

/** The kinds of node a pool can be made of. */
export type InstanceType = NonNullable<TenantSpec['nodePool']>['instanceType'];

/** Every instance type, in the order people read them. */
export const instanceTypes: readonly InstanceType[] = ['standard', 'compute-optimized', 'memory-optimized'];

/** What a tenant's dedicated pool should be. */
export interface PoolRequest {
  /** The Tenant's name: Landlord's ownership label on its nodes. */
  tenant: string;
  /** The team: the placement label's value, the taint's value, the people's labels. */
  team: string;
  size: number;
  instanceType: InstanceType;
}

/** The pool a tenant asks for, or undefined when it runs on shared nodes. */
export function poolRequest(tenant: Tenant): PoolRequest | undefined {
  const pool = tenant.spec.nodePool;
  if (!pool) return undefined;
  return {
    tenant: tenant.metadata.name,
    team: tenant.spec.teamName,
    size: pool.size,
    instanceType: pool.instanceType,
  };
}

/** Annotation on a node being given back: when its drain began (so a stuck drain is reported, never forced). */
export const drainingSinceAnnotation = 'landlord.dev/draining-since';

/** Annotation a claim writes with the ownership label: the holding Tenant's UID (a name alone can be typed by hand). */
export const claimedByUidAnnotation = 'landlord.dev/claimed-by-uid';

/** Who holds a node: a Tenant's name and UID (a Tenant created again under the name is another holder). */
export interface NodeHolder {
  tenant: string;
  uid: string;
}

/** The labels a node of the team's pool carries: ownership and placement (kubelet-proof), the people's, the pool's. */
export function claimedLabels(request: PoolRequest, settings: NodePoolSettings): Record<string, string> {
  const people = Object.fromEntries(settings.displayLabels.map((key) => [key, request.team]));
  return {
    ...people,
    [settings.spare.label]: settings.spare.claimedValue,
    [settings.ownerLabel]: request.tenant,
    [settings.placementLabel]: request.team,
  };
}

/** The taint that keeps everyone but the team off its nodes (the article's `dedicated=<team>:NoSchedule`). */
export function dedicatedTaint(team: string, settings: NodePoolSettings): Taint {
  return { key: settings.taintKey, value: team, effect: 'NoSchedule' };
}

/** The taint that keeps everyone off an idle spare node. */
export function spareTaint(settings: NodePoolSettings): Taint {
  return { key: settings.spare.label, value: settings.spare.value, effect: 'NoSchedule' };
}

/** The Tenant holding a node by Landlord's ownership label, if any. */
export function nodeOwner(node: Node, settings: NodePoolSettings): string | undefined {
  return node.metadata?.labels?.[settings.ownerLabel] || undefined;
}

/** A node's taints without Landlord's own (spare and dedicated ones): what other writers set, kept as they are. */
function othersTaints(node: Node, settings: NodePoolSettings): Taint[] {
  const ours = new Set([settings.spare.label, settings.taintKey]);
  return (node.spec?.taints ?? []).filter((taint) => !ours.has(taint.key));
}

/**
 * The one write that claims a node: labels and taint together, with the resourceVersion the claim was decided on,
 * so two claims of one node cannot both succeed (the API server answers 409 to the later) and a node is claimed
 * whole or not at all.
 */
export function claimPatch(node: Node, request: PoolRequest, uid: string, settings: NodePoolSettings): object {
  if (!uid) throw new Error(`claiming ${node.metadata?.name ?? 'a node'} for ${request.tenant}: the Tenant has no uid`);
  return {
    metadata: {
      resourceVersion: node.metadata?.resourceVersion,
      labels: claimedLabels(request, settings),
      annotations: { [claimedByUidAnnotation]: uid },
    },
    spec: { taints: [...othersTaints(node, settings), dedicatedTaint(request.team, settings)] },
  };
}

/**
 * The holder of a node by the whole mark of a claim's one write: the ownership label, the spare label's claimed
 * value and the Tenant's UID. A node with the ownership label but not the rest was labelled by someone else: nobody's.
 */
export function claimHolder(node: Node, settings: NodePoolSettings): NodeHolder | undefined {
  const { labels = {}, annotations = {} } = node.metadata ?? {};
  const tenant = labels[settings.ownerLabel];
  const uid = annotations[claimedByUidAnnotation];
  if (!tenant || !uid || labels[settings.spare.label] !== settings.spare.claimedValue) return undefined;
  return { tenant, uid };
}

/** Whether the node is the Tenant's (this name and this UID) by the whole mark of Landlord's claim. */
export function isClaimedBy(node: Node, tenant: string, uid: string, settings: NodePoolSettings): boolean {
  const holder = claimHolder(node, settings);
  return holder !== undefined && holder.tenant === tenant && holder.uid === uid;
}

/** The labels that place pods on a node (placement) or tell people whose it is: off while the node is drained. */
function placingLabels(settings: NodePoolSettings): string[] {
  return [settings.placementLabel, ...settings.displayLabels];
}

/**
 * Cordons a node to be given back and records when its drain began (kept when already recorded), and takes its
 * placement and people's labels off: a team's DaemonSet selecting its pool then removes its own pod from the node.
 */
export function drainPatch(node: Node, now: Date, settings: NodePoolSettings): object {
  const since = node.metadata?.annotations?.[drainingSinceAnnotation] ?? now.toISOString();
  return {
    metadata: {
      resourceVersion: node.metadata?.resourceVersion,
      labels: Object.fromEntries(placingLabels(settings).map((key) => [key, null])),
      annotations: { [drainingSinceAnnotation]: since },
    },
    spec: { unschedulable: true },
  };
}

/** Whether a node being given back still lacks part of its drain mark (cordon, start, placement labels off). */
export function needsDrainMark(node: Node, settings: NodePoolSettings): boolean {
  const labels = node.metadata?.labels ?? {};
  return (
    !node.metadata?.annotations?.[drainingSinceAnnotation] ||
    !node.spec?.unschedulable ||
    placingLabels(settings).some((key) => labels[key] !== undefined)
  );
}

/** Takes back a node that was being drained (the pool needs it again): uncordoned, its team's labels back. */
export function keepPatch(node: Node, team: string, settings: NodePoolSettings): object {
  return {
    metadata: {
      resourceVersion: node.metadata?.resourceVersion,
      labels: Object.fromEntries(placingLabels(settings).map((key) => [key, team])),
      annotations: { [drainingSinceAnnotation]: null },
    },
    spec: { unschedulable: null },
  };
}

/**
 * The one write that gives a drained node back to the spare pool: Landlord's labels and taint off, the spare
 * label and taint back, uncordoned. Labels and taints of other writers stay.
 */
export function releasePatch(node: Node, settings: NodePoolSettings): object {
  const labels: Record<string, string | null> = Object.fromEntries(
    [settings.ownerLabel, settings.placementLabel, ...settings.displayLabels].map((key) => [key, null]),
  );
  labels[settings.spare.label] = settings.spare.value;
  return {
    metadata: {
      resourceVersion: node.metadata?.resourceVersion,
      labels,
      annotations: { [drainingSinceAnnotation]: null, [claimedByUidAnnotation]: null },
    },
    spec: { taints: [...othersTaints(node, settings), spareTaint(settings)], unschedulable: null },
  };
}

/** What Landlord reads of a node to plan a pool. */
export interface PoolNode {
  name: string;
  instanceType: string | undefined;
  ready: boolean;
  /** When the Ready condition last changed, if it is not True. */
  notReadySince: string | undefined;
  /** When Landlord began draining it, if it is being given back. */
  drainingSince: string | undefined;
  owner: string | undefined;
}

/** Reads a node as the pool planner sees it. */
export function readPoolNode(node: Node, settings: NodePoolSettings): PoolNode {
  const ready = readyCondition(node);
  const isReady = ready?.status === 'True';
  const { name = '', labels = {}, annotations = {}, creationTimestamp } = node.metadata ?? {};
  return {
    name,
    instanceType: labels[settings.instanceTypeLabel],
    ready: isReady,
    notReadySince: isReady ? undefined : (ready?.lastTransitionTime ?? creationTimestamp),
    drainingSince: annotations[drainingSinceAnnotation],
    owner: nodeOwner(node, settings),
  };
}

function readyCondition(node: Node) {
  return node.status?.conditions?.find((condition) => condition.type === 'Ready');
}

/**
 * Whether a node is an idle spare of the type, free to claim: the spare label and taint, nobody's ownership,
 * Ready and schedulable (a broken machine is never handed out).
 */
export function isFreeSpare(node: Node, instanceType: string, settings: NodePoolSettings): boolean {
  const { spare } = settings;
  const labels = node.metadata?.labels ?? {};
  const taints = node.spec?.taints ?? [];
  return (
    labels[spare.label] === spare.value &&
    labels[settings.instanceTypeLabel] === instanceType &&
    !labels[settings.ownerLabel] &&
    taints.some((taint) => taint.key === spare.label && taint.value === spare.value && taint.effect === 'NoSchedule') &&
    !node.spec?.unschedulable &&
    readPoolNode(node, settings).ready
  );
}

/** What to do with a tenant's pool now. */
export interface PoolPlan {
  /** How many nodes of the asked type to claim. */
  claim: number;
  /** Nodes to cordon, drain and give back: beyond the size, of another type, or NotReady too long and replaced. */
  drain: string[];
  /** Nodes being drained to take back, because the pool needs them again. */
  keep: string[];
  /** Nodes that count towards the size: Ready, or NotReady for less than the grace period, of the asked type. */
  counting: string[];
  /** Nodes NotReady past the grace period, waiting for a replacement (they count until one is claimed). */
  lost: string[];
}

/**
 * Plans a pool, purely: claim what is missing; give back what is beyond the size (fewest pods first), of another
 * type, or NotReady past `notReadySeconds`, but only once what replaces it is there, so the tenant never has fewer
 * nodes than it keeps; take back a draining node before claiming a new one.
 */
export function planPool(
  request: PoolRequest | undefined,
  held: readonly PoolNode[],
  podsOn: (node: string) => number,
  now: Date,
  settings: NodePoolSettings,
): PoolPlan {
  if (!request) {
    const drain = held.filter((node) => !node.drainingSince).map((node) => node.name);
    return { claim: 0, drain, keep: [], counting: [], lost: [] };
  }
  const graceMs = settings.notReadySeconds * 1000;
  const isLost = (node: PoolNode) =>
    !node.ready && now.getTime() - Date.parse(node.notReadySince ?? now.toISOString()) >= graceMs;
  const rightType = (node: PoolNode) => node.instanceType === request.instanceType;
  const active = held.filter((node) => !node.drainingSince && rightType(node) && !isLost(node));
  // A draining node of the right type that still works is taken back before a new one is claimed.
  const takeBack = held
    .filter((node) => node.drainingSince && rightType(node) && node.ready)
    .slice(0, Math.max(0, request.size - active.length))
    .map((node) => node.name);
  const counting = [...active.map((node) => node.name), ...takeBack];
  const fewestPodsFirst = [...active].sort((a, b) => podsOn(a.name) - podsOn(b.name) || a.name.localeCompare(b.name));
  const excess = fewestPodsFirst.slice(0, Math.max(0, counting.length - request.size)).map((node) => node.name);
  const full = counting.length >= request.size;
  const lost = held.filter((node) => !node.drainingSince && rightType(node) && isLost(node)).map((node) => node.name);
  const wrongType = held.filter((node) => !node.drainingSince && !rightType(node)).map((node) => node.name);
  // Lost and wrong-type nodes stay until their replacements are claimed: the tenant keeps what it has meanwhile.
  const replaced = full ? [...lost, ...wrongType] : [];
  return {
    claim: Math.max(0, request.size - counting.length),
    drain: [...excess, ...replaced],
    keep: takeBack,
    counting: counting.filter((name) => !excess.includes(name)),
    lost: full ? [] : lost,
  };
}

/**
 * Annotation on each namespace of a tenant with a pool: the team whose dedicated nodes its pods are placed on.
 * Landlord's admission policies read it (with the label and taint keys of the platform configuration) to pin the
 * namespace's pods to those nodes; only the operator may change a tenant namespace.
 */
export const dedicatedNodesAnnotation = 'landlord.dev/dedicated-nodes';

/** The placement annotations of a tenant's namespaces: the team when it has a pool, none on shared nodes. */
export function placementAnnotations(tenant: Tenant): Record<string, string> {
  return tenant.spec.nodePool ? { [dedicatedNodesAnnotation]: tenant.spec.teamName } : {};
}

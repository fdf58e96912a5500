import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../../api/node-pool-settings.ts';
import { patchNodeAsDecided } from '../../integrations/node-pool/node-patch.ts';
import type { NodePoolProvider } from '../../integrations/node-pool/provider.ts';
import { apiPath } from '../../kube/api-path.ts';
import { KubeApiError, type KubeHttp } from '../../kube/http.ts';
import { resources } from '../../kube/resources.ts';
import type { WriteCounter } from '../applier.ts';
import { drainPatch, isClaimedBy, needsDrainMark, type NodeHolder, readPoolNode } from '../../tenancy/node-pool.ts';
import { isPlatformDaemon } from '../../tenancy/platform-daemons.ts';

/** What a drain needs: the API server, the provider that takes the node back, the settings, a write counter. */
export interface DrainTools {
  http: KubeHttp;
  provider: NodePoolProvider;
  settings: NodePoolSettings;
  /** The platform's namespaces: only their DaemonSet and mirror pods stay on a node given back. */
  platformNamespaces: readonly string[];
  countWrite: WriteCounter;
  now: Date;
}

/** Where a node's drain stands. */
export interface DrainProgress {
  /** Released to the spare pool (or no longer the tenant's). */
  released: boolean;
  /** When the drain began. */
  since: string | undefined;
  /** Pods left, or why one cannot be evicted (the API server's words). */
  message: string | undefined;
  /** The drain has run past the drain timeout: reported, never forced. */
  stuck: boolean;
}

/**
 * One step of giving a node back: cordon it and take its placement labels off (recording when), evict every pod a
 * drain moves but DaemonSet pods (the Eviction API, so PodDisruptionBudgets hold it back: a refusal is reported,
 * never forced, no pod ever deleted), and release it once no pod but the platform's daemons is left. A team's
 * DaemonSet pod leaves by its own controller once the node no longer carries the pool's label; one that stays holds
 * the node, reported like any other. Only ever on a node the holder claimed (Landlord's whole mark, its UID).
 */
export async function drainStep(tools: DrainTools, seen: Node, holder: NodeHolder): Promise<DrainProgress> {
  const node = await marked(tools, seen, holder);
  if (!node) return { released: true, since: undefined, message: undefined, stuck: false };
  const pool = readPoolNode(node, tools.settings);
  const since = pool.drainingSince;
  const left = (await podsOn(tools.http, pool.name)).filter((pod) =>
    mustMove(pod, pool.ready, tools.platformNamespaces),
  );
  if (left.length === 0) {
    const released = await tools.provider.release(node, holder);
    return { released: true, since, message: released ? undefined : 'no longer the tenant’s', stuck: false };
  }
  const refusals: string[] = [];
  for (const pod of left.filter((candidate) => !candidate.metadata?.deletionTimestamp && !isDaemonPod(candidate))) {
    const refusal = await evict(tools, pod);
    if (refusal) refusals.push(refusal);
  }
  const { now, settings } = tools;
  const stuck = now.getTime() - Date.parse(since ?? now.toISOString()) >= settings.drainTimeoutSeconds * 1000;
  const message = refusals.length ? refusals.join('; ') : stillToLeave(left);
  return { released: false, since, message, stuck };
}

/** The pods still to leave, a DaemonSet's named (its controller removes it unless its template ignores the pool). */
function stillToLeave(left: Pod[]): string {
  const daemons = left.filter(isDaemonPod).map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`);
  const named = daemons.length
    ? `; DaemonSet pod(s) ${daemons.join(', ')} leave only when their DaemonSet selects its pool (nodeSelector)`
    : '';
  return `${left.length} pod(s) still to leave${named}`;
}

/** The node with its whole drain mark (once); undefined when it is no longer the holder's. */
async function marked(tools: DrainTools, seen: Node, holder: NodeHolder): Promise<Node | undefined> {
  const { settings } = tools;
  if (isClaimedBy(seen, holder.tenant, holder.uid, settings) && !needsDrainMark(seen, settings)) return seen;
  const node = await patchNodeAsDecided(tools.http, seen, (current) =>
    isClaimedBy(current, holder.tenant, holder.uid, settings) ? drainPatch(current, tools.now, settings) : undefined,
  );
  if (node) tools.countWrite('node-cordon');
  return node;
}

/** The pods bound to a node, listed by the node's name (the API server filters; nothing else is read). */
export async function podsOn(http: KubeHttp, node: string): Promise<Pod[]> {
  const list = await http.request<{ items: Pod[] }>({
    method: 'GET',
    path: apiPath(resources.pod),
    query: { fieldSelector: `spec.nodeName=${node}` },
  });
  return list.items;
}

/**
 * Whether the pod must leave before the node is given back: every pod but the platform's daemons (DaemonSet and
 * mirror pods of its namespaces, on every node by design) and finished ones; a pod already terminating on a node
 * that is not Ready never ends there and is not waited for. A team's DaemonSet pod must leave too: left behind, it
 * would run on the next pool's node (a NoSchedule taint moves nothing).
 */
export function mustMove(pod: Pod, nodeReady: boolean, platformNamespaces: readonly string[]): boolean {
  const finished = ['Succeeded', 'Failed'].includes(pod.status?.phase ?? '');
  if (isPlatformDaemon(pod, platformNamespaces) || finished) return false;
  return nodeReady || !pod.metadata?.deletionTimestamp;
}

/** A DaemonSet's pod: evicting it alone is pointless (its controller makes it again while the node matches). */
function isDaemonPod(pod: Pod): boolean {
  return (pod.metadata?.ownerReferences ?? []).some((owner) => owner.kind === 'DaemonSet' && owner.controller);
}

/** Asks the Eviction API to move a pod; the reason it may not (a PodDisruptionBudget: 429), or undefined. */
async function evict(tools: DrainTools, pod: Pod): Promise<string | undefined> {
  const { namespace = '', name = '' } = pod.metadata ?? {};
  try {
    await tools.http.request({
      method: 'POST',
      path: apiPath(resources.pod, { namespace, name, subresource: 'eviction' }),
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } },
    });
    tools.countWrite('eviction');
    return undefined;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    if (error instanceof KubeApiError && error.status === 429)
      return `pod ${namespace}/${name} cannot be evicted: ${error.message}`;
    throw error;
  }
}

import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../../api/node-pool-settings.ts';
import { patchNodeAsDecided } from '../../integrations/node-pool/node-patch.ts';
import type { NodePoolProvider } from '../../integrations/node-pool/provider.ts';
import { apiPath } from '../../kube/api-path.ts';
import { KubeApiError, type KubeHttp } from '../../kube/http.ts';
import { resources } from '../../kube/resources.ts';
import type { WriteCounter } from '../applier.ts';
import { drainPatch, drainingSinceAnnotation, nodeOwner, readPoolNode } from '../../tenancy/node-pool.ts';

/** What a drain needs: the API server, the provider that takes the node back, the settings, a write counter. */
export interface DrainTools {
  http: KubeHttp;
  provider: NodePoolProvider;
  settings: NodePoolSettings;
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
 * One step of giving a node back: cordon it (recording when), evict every pod a drain moves (the Eviction API, so
 * PodDisruptionBudgets hold it back: a refusal is reported, never forced, no pod ever deleted), and release it once
 * none is left. Only ever on a node the tenant owns by Landlord's label.
 */
export async function drainStep(tools: DrainTools, seen: Node, tenant: string): Promise<DrainProgress> {
  const node = await cordoned(tools, seen, tenant);
  if (!node) return { released: true, since: undefined, message: undefined, stuck: false };
  const pool = readPoolNode(node, tools.settings);
  const since = pool.drainingSince;
  const left = (await podsOn(tools.http, pool.name)).filter((pod) => mustMove(pod, pool.ready));
  if (left.length === 0) {
    const released = await tools.provider.release(node, tenant);
    return { released: true, since, message: released ? undefined : 'no longer the tenant’s', stuck: false };
  }
  const refusals: string[] = [];
  for (const pod of left.filter((candidate) => !candidate.metadata?.deletionTimestamp)) {
    const refusal = await evict(tools, pod);
    if (refusal) refusals.push(refusal);
  }
  const { now, settings } = tools;
  const stuck = now.getTime() - Date.parse(since ?? now.toISOString()) >= settings.drainTimeoutSeconds * 1000;
  const message = refusals.length ? refusals.join('; ') : `${left.length} pod(s) still to leave`;
  return { released: false, since, message, stuck };
}

/** The node cordoned with its drain's start recorded (once); undefined when it is no longer the tenant's. */
async function cordoned(tools: DrainTools, seen: Node, tenant: string): Promise<Node | undefined> {
  if (seen.metadata?.annotations?.[drainingSinceAnnotation]) return seen;
  const node = await patchNodeAsDecided(tools.http, seen, (current) =>
    nodeOwner(current, tools.settings) === tenant ? drainPatch(current, tools.now) : undefined,
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
 * Whether a drain must move the pod: not a DaemonSet's (it belongs on every node), not a mirror pod (the kubelet's
 * own), not finished; a pod already terminating on a node that is not Ready never ends there and is not waited for.
 */
export function mustMove(pod: Pod, nodeReady: boolean): boolean {
  const { ownerReferences = [], annotations = {}, deletionTimestamp } = pod.metadata ?? {};
  const daemon = ownerReferences.some((owner) => owner.kind === 'DaemonSet' && owner.controller);
  const mirror = annotations['kubernetes.io/config.mirror'] !== undefined;
  const finished = ['Succeeded', 'Failed'].includes(pod.status?.phase ?? '');
  if (daemon || mirror || finished) return false;
  return nodeReady || !deletionTimestamp;
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

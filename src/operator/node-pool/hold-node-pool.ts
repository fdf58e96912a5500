import type { Node } from 'kubernetes-types/core/v1.js';
import { patchNodeAsDecided } from '../../integrations/node-pool/node-patch.ts';
import {
  isClaimedBy,
  keepPatch,
  type NodeHolder,
  planPool,
  type PoolNode,
  type PoolRequest,
  readPoolNode,
} from '../../tenancy/node-pool.ts';
import type { WriteCounter } from '../applier.ts';
import type { ConditionUpdate } from '../conditions.ts';
import { type DrainProgress, drainStep, mustMove, podsOn } from './drain-node.ts';
import type { NodePools } from './node-pools.ts';
import { type NodePoolStatus, nodeEntries, poolCondition, poolStatus } from './pool-status.ts';
import type { KubeHttp } from '../../kube/http.ts';

/** What holding a tenant's pool came to. */
export interface PoolOutcome {
  /** NodePoolReady: False while the tenant waits for nodes or a drain is stuck (a state, not an error). */
  condition: ConditionUpdate;
  status: NodePoolStatus | undefined;
  /** Look again this soon: a drain under way, a NotReady node whose grace period ends, a shortage. */
  requeueAfterMs: number | undefined;
  /** The nodes the tenant still holds (teardown waits until none is left). */
  remaining: string[];
}

/** What a pass over a pool works with. */
export interface PoolTools {
  pools: NodePools;
  http: KubeHttp;
  countWrite: WriteCounter;
}

/** How often a drain under way is looked at again. */
const drainPollMs = 2000;
/** How often a tenant short of nodes looks again, besides being woken by a node freed. */
const shortagePollMs = 30_000;

/**
 * One pass over a tenant's pool (`request` undefined: no pool, or the tenant is going): plan from the nodes it
 * claimed (Landlord's whole mark with its UID), take back draining nodes it needs again, claim what is missing,
 * drain and give back the rest. A node without the holder's whole mark is never written.
 */
export async function holdNodePool(
  { pools, http, countWrite }: PoolTools,
  holder: NodeHolder,
  request: PoolRequest | undefined,
  condition: string,
): Promise<PoolOutcome> {
  const { settings, provider } = pools;
  const { tenant } = holder;
  const now = new Date();
  const nodes = await pools.held(holder);
  const byName = new Map(nodes.map((node) => [node.metadata?.name ?? '', node]));
  const held = nodes.map((node) => readPoolNode(node, settings));
  const podCounts = await countPodsIfShrinking(http, request, held, pools.platformNamespaces);
  const plan = planPool(request, held, (name) => podCounts.get(name) ?? 0, now, settings);
  for (const name of request ? plan.keep : []) {
    const written = await patchNodeAsDecided(http, byName.get(name) as Node, (node) =>
      isClaimedBy(node, tenant, holder.uid, settings) ? keepPatch(node, request?.team ?? '', settings) : undefined,
    );
    if (written) countWrite('node-keep');
  }
  const claimed =
    request && plan.claim > 0 ? await provider.claim(request, holder.uid, pools.claimable(request, plan.claim)) : [];
  pools.remember(tenant, claimed);
  const draining = new Set([
    ...plan.drain,
    ...held.filter((node) => node.drainingSince && !plan.keep.includes(node.name)).map((node) => node.name),
  ]);
  const drains = new Map<string, DrainProgress>();
  const tools = { http, provider, settings, countWrite, now, platformNamespaces: pools.platformNamespaces };
  for (const name of draining) drains.set(name, await drainStep(tools, byName.get(name) as Node, holder));
  const free = request ? (provider.freeByType().get(request.instanceType) ?? 0) : 0;
  const pass = { request, held: withKept(held, plan.keep), plan, claimed, drains, free };
  const entries = nodeEntries(pass);
  pools.recordNodes(tenant, entries);
  return {
    condition: poolCondition(condition, pass, entries, settings),
    status: poolStatus(pass, entries),
    requeueAfterMs: nextLook(pass, entries, now, settings.notReadySeconds),
    remaining: entries.map((entry) => entry.name),
  };
}

/** Pods per node, read only when the pool gives nodes back for its size (fewest pods first). */
async function countPodsIfShrinking(
  http: KubeHttp,
  request: PoolRequest | undefined,
  held: PoolNode[],
  platformNamespaces: readonly string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const active = held.filter((node) => !node.drainingSince && node.instanceType === request?.instanceType);
  if (!request || active.length <= request.size) return counts;
  for (const node of active) {
    const pods = await podsOn(http, node.name);
    counts.set(node.name, pods.filter((pod) => mustMove(pod, node.ready, platformNamespaces)).length);
  }
  return counts;
}

/** Nodes taken back are no longer draining. */
function withKept(held: PoolNode[], kept: string[]): PoolNode[] {
  return held.map((node) => (kept.includes(node.name) ? { ...node, drainingSince: undefined } : node));
}

/** When to look at the pool again on its own (node events wake it too). */
function nextLook(
  pass: { request: PoolRequest | undefined; plan: { counting: string[] }; claimed: string[] },
  entries: { state: string; since?: string }[],
  now: Date,
  notReadySeconds: number,
): number | undefined {
  if (entries.some((entry) => entry.state === 'Draining')) return drainPollMs;
  const graceEnds = entries
    .filter((entry) => entry.state === 'NotReady' && entry.since)
    .map((entry) => Date.parse(entry.since as string) + notReadySeconds * 1000 - now.getTime() + 250);
  const short = pass.request && pass.plan.counting.length + pass.claimed.length < pass.request.size;
  const waits = [...graceEnds.map((ms) => Math.max(ms, 250)), ...(short ? [shortagePollMs] : [])];
  return waits.length ? Math.min(...waits) : undefined;
}

import type { NodePoolSettings } from '../../api/node-pool-settings.ts';
import type { TenantStatus } from '../../api/tenant.ts';
import type { PoolNode, PoolPlan, PoolRequest } from '../../tenancy/node-pool.ts';
import type { ConditionUpdate } from '../conditions.ts';
import type { DrainProgress } from './drain-node.ts';
import { notEnoughNodes } from './node-pools.ts';

/** status.nodePool as the CRD has it. */
export type NodePoolStatus = NonNullable<TenantStatus['nodePool']>;
/** One node in status.nodePool. */
export type NodeEntry = NonNullable<NodePoolStatus['nodes']>[number];

/** What one pass over a pool found and did. */
export interface PoolPass {
  request: PoolRequest | undefined;
  held: PoolNode[];
  plan: PoolPlan;
  claimed: string[];
  /** Each node being given back, and how far it got. */
  drains: Map<string, DrainProgress>;
  /** Free spare nodes of the asked type, after the claims. */
  free: number;
}

/** Each node the tenant still holds, and what it is doing; nodes released in this pass are gone. */
export function nodeEntries(pass: PoolPass): NodeEntry[] {
  const entries: NodeEntry[] = [];
  for (const node of pass.held) {
    const drain = pass.drains.get(node.name);
    if (drain?.released) continue;
    const base = { name: node.name, ...(node.instanceType ? { instanceType: node.instanceType } : {}) };
    if (drain) entries.push({ ...base, state: 'Draining', ...since(drain.since), ...message(drain.message) });
    else if (pass.plan.lost.includes(node.name))
      entries.push({ ...base, state: 'Lost', ...since(node.notReadySince), message: 'NotReady past the grace period' });
    else if (!node.ready) entries.push({ ...base, state: 'NotReady', ...since(node.notReadySince) });
    else entries.push({ ...base, state: 'Ready' });
  }
  for (const name of pass.claimed)
    entries.push({ name, ...(pass.request ? { instanceType: pass.request.instanceType } : {}), state: 'Ready' });
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

/** status.nodePool: the pool asked for, how many of its nodes are Ready, every node held; none without either. */
export function poolStatus(pass: PoolPass, nodes: NodeEntry[]): NodePoolStatus | undefined {
  const { request } = pass;
  if (!request && nodes.length === 0) return undefined;
  const counting = new Set([...pass.plan.counting, ...pass.claimed]);
  const ready = nodes.filter((node) => node.state === 'Ready' && counting.has(node.name)).length;
  const draining = nodes.filter((node) => node.state === 'Draining').length;
  const size = request?.size ?? 0;
  const summary = `${ready}/${size}${request ? ` ${request.instanceType}` : ''}${draining ? `, ${draining} draining` : ''}`;
  return {
    ...(request ? { instanceType: request.instanceType } : {}),
    size,
    ready,
    ...(request && counting.size < size ? { free: pass.free } : {}),
    summary,
    nodes,
  };
}

/**
 * The NodePoolReady condition: True with the nodes held; False `NotEnoughNodes` naming how many of which type it
 * wants, holds and could get; False `DrainBlocked` once a drain has run past the drain timeout, with what holds it.
 */
export function poolCondition(
  type: string,
  pass: PoolPass,
  nodes: NodeEntry[],
  settings: NodePoolSettings,
): ConditionUpdate {
  const { request } = pass;
  const holds = pass.plan.counting.length + pass.claimed.length;
  const stuck = [...pass.drains]
    .filter(([, drain]) => drain.stuck && !drain.released)
    .map(
      ([name, drain]) =>
        `drain of ${name} has not finished after ${settings.drainTimeoutSeconds} s: ${drain.message ?? 'pods left'}`,
    );
  if (request && holds < request.size) {
    const message = `wants ${request.size} ${request.instanceType} node(s), holds ${holds}, ${pass.free} free`;
    return { type, status: 'False', reason: notEnoughNodes, message: [message, ...stuck].join('; ') };
  }
  if (stuck.length) return { type, status: 'False', reason: 'DrainBlocked', message: stuck.join('; ') };
  const draining = nodes.filter((node) => node.state === 'Draining').map((node) => node.name);
  const givingBack = draining.length ? `; giving back ${draining.join(', ')}` : '';
  if (!request) {
    if (draining.length)
      return { type, status: 'True', reason: 'Releasing', message: `giving back ${draining.join(', ')}` };
    return { type, status: 'True', reason: 'SharedNodes', message: 'no dedicated pool: runs on the shared nodes' };
  }
  const counting = new Set([...pass.plan.counting, ...pass.claimed]);
  const names = nodes.filter((node) => counting.has(node.name)).map((node) => node.name);
  return {
    type,
    status: 'True',
    reason: 'NodesHeld',
    message: `${names.length} ${request.instanceType} node(s): ${names.join(', ')}${givingBack}`,
  };
}

function since(value: string | undefined) {
  return value ? { since: value } : {};
}

function message(value: string | undefined) {
  return value ? { message: value.slice(0, 1024) } : {};
}

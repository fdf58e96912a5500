import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../../src/api/node-pool-settings.ts';
import { tenantResource } from '../../src/api/crd.ts';
import type { Tenant } from '../../src/api/tenant.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { resources } from '../../src/kube/resources.ts';
import { claimPatch, isFreeSpare, nodeOwner, type PoolRequest, releasePatch } from '../../src/tenancy/node-pool.ts';
import { asBreakGlass } from './break-glass.ts';

const mergePatch = 'application/merge-patch+json';

/** Every node of the cluster. */
export async function listNodes(http: KubeHttp): Promise<Node[]> {
  return (await http.request<{ items: Node[] }>({ method: 'GET', path: apiPath(resources.node) })).items;
}

/**
 * Makes the request's pool whole as the operator does (claimPatch: labels, taint and the live Tenant's UID in one
 * write, at the resourceVersion read), by hand and as break-glass: tops up the nodes already held by the tenant with free spares of
 * its type. Returns the pool's nodes and the ones claimed here, which the caller gives back with releaseNodes.
 */
export async function completePoolByHand(
  http: KubeHttp,
  request: PoolRequest,
  settings: NodePoolSettings,
): Promise<{ pool: string[]; claimedHere: string[] }> {
  const tenant = await http.request<Tenant>({ method: 'GET', path: apiPath(tenantResource, { name: request.tenant }) });
  const uid = tenant.metadata.uid ?? '';
  const nodes = await listNodes(http);
  const held = nodes.filter((node) => nodeOwner(node, settings) === request.tenant).map((node) => node.metadata?.name);
  const free = nodes.filter((node) => isFreeSpare(node, request.instanceType, settings));
  const claimedHere: string[] = [];
  for (const node of free.slice(0, Math.max(0, request.size - held.length))) {
    const name = node.metadata?.name ?? '';
    await http.request({
      method: 'PATCH',
      path: apiPath(resources.node, { name }),
      contentType: mergePatch,
      headers: asBreakGlass,
      body: claimPatch(node, request, uid, settings),
    });
    claimedHere.push(name);
  }
  const pool = [...held.filter((name): name is string => Boolean(name)), ...claimedHere];
  if (pool.length < request.size)
    throw new Error(`only ${pool.length} ${request.instanceType} node(s) for ${request.tenant}, ${request.size} asked`);
  return { pool, claimedHere };
}

/** Gives nodes claimed by hand back to the spare pool (releasePatch), as break-glass. */
export async function releaseNodes(http: KubeHttp, names: readonly string[], settings: NodePoolSettings) {
  for (const name of names) {
    const node = await http.request<Node>({ method: 'GET', path: apiPath(resources.node, { name }) });
    await http.request({
      method: 'PATCH',
      path: apiPath(resources.node, { name }),
      contentType: mergePatch,
      headers: asBreakGlass,
      body: releasePatch(node, settings),
    });
  }
}

import type { Node } from 'kubernetes-types/core/v1.js';
import { apiPath } from '../../kube/api-path.ts';
import { KubeApiError, type KubeHttp } from '../../kube/http.ts';
import { resources } from '../../kube/resources.ts';

/** How many times a write decided on a node that changed meanwhile (a kubelet's heartbeat) is decided again. */
const attempts = 4;

/** Reads a node as the API server has it now; undefined when it is gone. */
export async function readNode(http: KubeHttp, name: string): Promise<Node | undefined> {
  try {
    return await http.request<Node>({ method: 'GET', path: apiPath(resources.node, { name }) });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Writes a merge patch decided on a node as read (`decide` sees the node, answers the patch, or undefined when the
 * node is no longer one to write: not ours, not free). The patch carries the node's resourceVersion, so it lands
 * only on the node `decide` saw; when the node changed meanwhile (409), it is read again and decided again.
 * Returns the node written, or undefined when `decide` declined or the node is gone.
 */
export async function patchNodeAsDecided(
  http: KubeHttp,
  seen: Node,
  decide: (node: Node) => object | undefined,
): Promise<Node | undefined> {
  let node: Node | undefined = seen;
  for (let attempt = 1; node; attempt++) {
    const patch = decide(node);
    if (!patch) return undefined;
    try {
      return await http.request<Node>({
        method: 'PATCH',
        path: apiPath(resources.node, { name: node.metadata?.name ?? '' }),
        body: patch,
        contentType: 'application/merge-patch+json',
      });
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      if (error.status === 404) return undefined;
      if (error.status !== 409 || attempt >= attempts) throw error;
      node = await readNode(http, node.metadata?.name ?? '');
    }
  }
  return undefined;
}

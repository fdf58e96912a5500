import { createHash } from 'node:crypto';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../../api/node-pool-settings.ts';
import type { KubeHttp } from '../../kube/http.ts';
import {
  claimPatch,
  instanceTypes,
  isClaimedBy,
  isFreeSpare,
  type NodeHolder,
  type PoolRequest,
  releasePatch,
} from '../../tenancy/node-pool.ts';
import { patchNodeAsDecided } from './node-patch.ts';
import type { NodePoolProvider } from './provider.ts';

/** What the spare-pool provider works with: the API server, the cached nodes, the settings, a write counter. */
export interface SparePoolOptions {
  http: KubeHttp;
  /** The nodes as last seen (an informer's cache): candidates are picked here, then written with a precondition. */
  nodes: () => Node[];
  settings: NodePoolSettings;
  countWrite: (verb: string) => void;
}

/**
 * Idle machines of a data centre, marked as spare: a claim labels and taints a free one for the tenant in one
 * write guarded by its resourceVersion (two claims of one node: the API server answers 409 to the later, which
 * moves on to the next candidate), a release gives it back in one write. No in-memory lock: two operators, or an
 * operator restarted mid-claim, cannot hand one node to two tenants or leave one half-claimed.
 */
export class SparePoolProvider implements NodePoolProvider {
  private readonly options: SparePoolOptions;

  constructor(options: SparePoolOptions) {
    this.options = options;
  }

  /** Free spare nodes of each instance type, from the cache. */
  freeByType(): Map<string, number> {
    const { settings } = this.options;
    const counts = new Map<string, number>(instanceTypes.map((type) => [type, 0]));
    for (const node of this.options.nodes()) {
      const type = node.metadata?.labels?.[settings.instanceTypeLabel];
      if (type && isFreeSpare(node, type, settings)) counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    return counts;
  }

  /** Claims free spares of the type one by one, starting where the tenant's name points, so tenants rarely collide. */
  async claim(request: PoolRequest, uid: string, count: number): Promise<string[]> {
    const { settings, http } = this.options;
    const candidates = this.options
      .nodes()
      .filter((node) => isFreeSpare(node, request.instanceType, settings))
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    const start = candidates.length ? startingPoint(request.tenant) % candidates.length : 0;
    const claimed: string[] = [];
    for (let index = 0; index < candidates.length && claimed.length < count; index++) {
      const candidate = candidates[(start + index) % candidates.length] as Node;
      // Decided again on the node as it is when the cached copy was stale: still free, or left alone.
      const written = await patchNodeAsDecided(http, candidate, (node) =>
        isFreeSpare(node, request.instanceType, settings) ? claimPatch(node, request, uid, settings) : undefined,
      );
      if (!written) continue;
      this.options.countWrite('node-claim');
      claimed.push(written.metadata?.name ?? '');
    }
    return claimed;
  }

  /** Gives a node back to the spare pool in one write, only while it still carries the holder's whole claim. */
  async release(node: Node, holder: NodeHolder): Promise<boolean> {
    const { settings, http } = this.options;
    const written = await patchNodeAsDecided(http, node, (current) =>
      isClaimedBy(current, holder.tenant, holder.uid, settings) ? releasePatch(current, settings) : undefined,
    );
    if (written) this.options.countWrite('node-release');
    return written !== undefined;
  }
}

/** A stable number from a tenant's name: where its search for a free node begins. */
function startingPoint(tenant: string): number {
  return createHash('sha256').update(tenant).digest().readUInt32BE(0);
}

import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../api/node-pool-settings.ts';
import { apiPath } from '../kube/api-path.ts';
import type { KubeHttp } from '../kube/http.ts';
import { Informer } from '../kube/informer.ts';
import { resources } from '../kube/resources.ts';
import { freeSpareCounts } from '../tenancy/free-spares.ts';
import type { FreeNodes } from './node-pools-answer.ts';

/** Where the portal reads how many spare nodes are free: counts by instance type, nothing else. */
export interface SpareNodeView {
  free(): FreeNodes[];
}

/**
 * The portal's SpareNodeView on a cluster: an informer on the nodes marked spare only (a node a pool claims leaves
 * the selection, so no tenant's node is cached), counted as the operator would claim them.
 */
export class ClusterSpareNodes implements SpareNodeView {
  private readonly nodes: Informer<Node>;
  private readonly settings: NodePoolSettings;

  constructor(http: KubeHttp, settings: NodePoolSettings, onError?: (error: unknown) => void) {
    this.settings = settings;
    this.nodes = new Informer<Node>(http, {
      path: apiPath(resources.node),
      labelSelector: `${settings.spare.label}=${settings.spare.value}`,
      onError,
    });
  }

  async start(): Promise<void> {
    await this.nodes.start();
  }

  async stop(): Promise<void> {
    await this.nodes.stop();
  }

  free(): FreeNodes[] {
    return freeSpareCounts(this.nodes.list(), this.settings);
  }
}

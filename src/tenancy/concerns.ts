import { argoCdConcern } from './argocd.ts';
import type { Concern } from './concern.ts';
import { gitRepositoryConcern } from './git-repository.ts';
import { namespacesConcern } from './namespace.ts';
import { networkConcern } from './network.ts';
import { nodePoolConcern } from './node-pool-concern.ts';
import { quotaConcern } from './quota.ts';
import { rbacConcern } from './rbac.ts';

/**
 * The concerns of a namespace tenant, in apply order: the one place that joins them. Namespaces first
 * (everything else lives in them), Argo CD after them (it must find the namespaces locked down before it syncs),
 * the node pool (a shortage of nodes holds nothing else back; teardown gives the nodes back first), the team's
 * repository on the forge last (a forge that is down holds nothing else back; teardown archives it after the rest).
 * Adding a concern: one file in this folder, one line here.
 */
export const tenantConcerns: readonly Concern[] = [
  namespacesConcern,
  quotaConcern,
  networkConcern,
  rbacConcern,
  argoCdConcern,
  nodePoolConcern,
  gitRepositoryConcern,
];

// Generated from tenant-crd.yaml by `npm run generate`. Do not edit: change the CRD and regenerate.

/**
 * What the team asks for.
 */
export interface TenantSpec {
  /**
   * The team's name, a DNS label of at most 40 characters so that derived names such as vcluster-<team> and <team>-<env> stay valid. Names every object of the tenant. Immutable.
   */
  teamName: string;
  /**
   * The email address of the person accountable for the tenant; notifications go there.
   */
  ownerEmail: string;
  /**
   * The cost centre that pays for the tenant, such as CC-12345 (used as a label value).
   */
  costCenter: string;
  /**
   * The directory group of the team. Its members get admin rights in the tenant's namespaces and in its Argo CD project, nowhere else.
   */
  adGroup: string;
  /**
   * namespace: locked-down namespaces in the shared cluster; vcluster: a virtual cluster. Immutable.
   */
  isolation: 'namespace' | 'vcluster';
  /**
   * Suffixes of more namespaces for the team, such as staging: each becomes <teamName>-<suffix>, locked down like the first. The quota is shared out evenly between all of them.
   *
   * @maxItems 10
   */
  additionalNamespaces?: string[];
  /**
   * The tenant's share of the cluster, across all its namespaces: requests (limits may reach twice these).
   */
  resourceQuota: {
    /**
     * CPU cores the tenant may request, as a Kubernetes quantity such as 20 or 500m.
     */
    cpu: string;
    /**
     * Memory the tenant may request, as a Kubernetes quantity such as 40Gi.
     */
    memory: string;
    /**
     * Persistent storage the tenant may claim, as a Kubernetes quantity such as 500Gi.
     */
    storage: string;
  };
  /**
   * Dedicated nodes for the tenant's workloads. Without it the tenant runs on shared nodes.
   */
  nodePool?: {
    /**
     * Number of dedicated nodes.
     */
    size: number;
    /**
     * The kind of node.
     */
    instanceType: 'standard' | 'compute-optimized' | 'memory-optimized';
  };
  /**
   * Platform services the tenant gets.
   */
  services: {
    /**
     * An Argo CD for the team (its own instance in a vcluster, a project in the host one otherwise).
     */
    argocd: boolean;
    /**
     * Metrics and dashboards for the team.
     */
    monitoring: boolean;
    /**
     * Secrets management.
     */
    vault: boolean;
    /**
     * Service mesh.
     */
    istio: boolean;
  };
  /**
   * Where the team's applications come from. Without it the Git factory creates the repository.
   */
  gitops?: {
    /**
     * One of the team's Git repositories (https://, ssh://, git@host:path; file:/// on the local environment only), by the platform's rule: its default repository or one under the team's prefix. Never a pattern.
     */
    repoURL: string;
    /**
     * The folder of the App of Apps in the repository.
     */
    path: string;
    /**
     * The branch, tag or commit to follow.
     */
    targetRevision: string;
  };
  /**
   * Kubernetes minor version of the virtual cluster, such as "1.36" (vcluster only; the platform's default without it, and the platform chooses the patch release). Raise it by one minor version to upgrade; a house never goes down a version nor skips one.
   */
  kubernetesVersion?: string;
}

/**
 * What Landlord observed and did.
 */
export interface TenantStatus {
  phase?: 'Pending' | 'Provisioning' | 'Ready' | 'Failed' | 'Terminating';
  observedGeneration?: number;
  namespaces?: string[];
  /**
   * The address of the house's API server (virtual-cluster tenants).
   */
  vclusterURL?: string;
  /**
   * The Kubernetes version the house's API server reports (its /version), such as v1.36.3.
   */
  kubernetesVersion?: string;
  /**
   * The team's Argo CD (its project in the host Argo CD; a house's own Argo CD, condition HouseArgoCDReady).
   */
  argocdURL?: string;
  gitRepoURL?: string;
  grafanaURL?: string;
  /**
   * How long the first provisioning took, from creation to Ready.
   */
  provisioningSeconds?: number;
  /**
   * The tenant's dedicated nodes as Landlord holds them (spec.nodePool).
   */
  nodePool?: {
    instanceType?: string;
    /**
     * How many nodes the pool should have.
     */
    size?: number;
    /**
     * How many nodes of the asked type are Ready and in the pool.
     */
    ready?: number;
    /**
     * Free spare nodes of the asked type when last looked, while the pool waits for some.
     */
    free?: number;
    /**
     * The pool in a few words, for kubectl get -o wide (2/2 standard).
     */
    summary?: string;
    /**
     * Every node the tenant holds, and what it is doing.
     *
     * @maxItems 64
     */
    nodes?: {
      name: string;
      instanceType?: string;
      /**
       * Ready; NotReady (still counts, within the grace period); Lost (NotReady past it, being replaced); Draining (being given back to the spare pool).
       */
      state: 'Ready' | 'NotReady' | 'Lost' | 'Draining';
      since?: string;
      message?: string;
    }[];
  };
  /**
   * The spec the operator last applied, written by the operator alone: what the tenant keeps while a change beyond the platform's ceilings or its group's budget is refused (condition WithinLimits).
   */
  acceptedSpec?: {};
  /**
   * Landlord's own record of the objects it created for the tenant (by UID): what it keeps and deletes even if someone strips their labels or ownerReferences.
   *
   * @maxItems 1000
   */
  heldObjects?: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
    uid: string;
  }[];
  conditions?: {
    type: string;
    status: 'True' | 'False' | 'Unknown';
    observedGeneration?: number;
    lastTransitionTime: string;
    reason: string;
    message: string;
  }[];
}

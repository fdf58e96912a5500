import type { KubernetesObject } from '../kube/object.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { Informer } from '../kube/informer.ts';
import type { KubeHttp } from '../kube/http.ts';
import type { Applier, WriteCounter } from './applier.ts';
import type { ClusterCache } from './cluster-cache.ts';
import type { Concern } from '../tenancy/concern.ts';
import type { EventRecorder } from './events.ts';
import type { OidcClientRegistry } from '../integrations/identity/oidc-client-registry.ts';
import type { Integrations } from './external-integration.ts';
import type { HeldKindTable } from './held-kinds.ts';
import type { OperatorMetrics } from './metrics.ts';
import type { NodePools } from './node-pool/node-pools.ts';
import type { HouseCredentialWatches } from './house/credential-watches.ts';

/** What a reconcile needs: the concerns, the clients, the caches, the platform settings and the instruments. */
export interface ReconcileContext {
  /** The tenant's concerns in apply order (tenancy/concerns.ts, unless a test adds its own). */
  concerns: readonly Concern[];
  kinds: HeldKindTable;
  integrations: Integrations;
  http: KubeHttp;
  tenants: Informer<Tenant>;
  cache: ClusterCache;
  applier: Applier;
  platform: PlatformConfig;
  events: EventRecorder;
  metrics: OperatorMetrics;
  countWrite: WriteCounter;
  log: (line: string) => void;
  /** Watches of each house's kubeconfig Secret, which queue the tenant when its credentials change. */
  houseCredentials?: HouseCredentialWatches;
  /** The platform's identity provider's clients (one per house's Argo CD); absent: houses' Argo CD waits for it. */
  oidcClients?: OidcClientRegistry;
  /** Nodes of dedicated pools: present when a concern holds a node pool. */
  nodePools?: NodePools;
}

/** An owned object as the informers cache it. */
export type LiveObject = KubernetesObject;

import type { KubernetesObject } from '../kube/object.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { Informer } from '../kube/informer.ts';
import type { KubeHttp } from '../kube/http.ts';
import type { Applier, WriteCounter } from './applier.ts';
import type { ClusterCache } from './cluster-cache.ts';
import type { EventRecorder } from './events.ts';
import type { OperatorMetrics } from './metrics.ts';

/** What a reconcile needs: the clients, the caches, the platform settings and the instruments. */
export interface ReconcileContext {
  http: KubeHttp;
  tenants: Informer<Tenant>;
  cache: ClusterCache;
  applier: Applier;
  platform: PlatformConfig;
  events: EventRecorder;
  metrics: OperatorMetrics;
  countWrite: WriteCounter;
  log: (line: string) => void;
}

/** An owned object as the informers cache it. */
export type LiveObject = KubernetesObject;

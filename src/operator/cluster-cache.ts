import type { KubernetesObject } from '../kube/object.ts';
import type { Informer } from '../kube/informer.ts';
import type { HeldKind } from '../tenancy/concern.ts';

/** The informers' caches of every held kind, looked up by kind, namespace and name. */
export class ClusterCache {
  private readonly informers: Map<string, Informer<KubernetesObject>>;

  constructor(informers: Map<HeldKind, Informer<KubernetesObject>>) {
    this.informers = new Map([...informers].map(([kind, informer]) => [kind.kind, informer]));
  }

  /** The cached object, if the informer has it (only objects labelled with a tenant are cached). */
  get(kind: string, name: string, namespace?: string): KubernetesObject | undefined {
    return this.informers.get(kind)?.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Every cached object of the kind labelled as the tenant's (the label selects; ownership is checked after). */
  labelledFor(kind: string, tenantName: string): KubernetesObject[] {
    return this.informers.get(kind)?.byIndex(tenantName) ?? [];
  }
}

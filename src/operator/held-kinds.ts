import { apiPath } from '../kube/api-path.ts';
import { type Concern, type HeldKind, heldKinds } from '../tenancy/concern.ts';

/** The kinds the operator holds for tenants, derived from the concerns, with the paths it lists and acts at. */
export class HeldKindTable {
  /** In teardown order (the reverse of apply order). */
  readonly all: readonly HeldKind[];
  private readonly argoCdNamespace: string;

  constructor(concerns: readonly Concern[], argoCdNamespace: string) {
    this.all = heldKinds(concerns);
    this.argoCdNamespace = argoCdNamespace;
  }

  /** The held kind of an object; throws for a kind no concern holds (Landlord never touches those). */
  of(apiVersion: string, kind: string): HeldKind {
    const found = this.all.find((candidate) => candidate.apiVersion === apiVersion && candidate.kind === kind);
    if (!found) throw new Error(`Landlord does not manage ${kind} (${apiVersion})`);
    return found;
  }

  /** The path a kind is listed and watched at: everywhere, or in Argo CD's namespace only. */
  collectionPath(kind: HeldKind): string {
    return apiPath(kind, kind.watch === 'argocd-namespace' ? { namespace: this.argoCdNamespace } : {});
  }

  /** The path of one object of a held kind. */
  objectPath(apiVersion: string, kind: string, name: string, namespace?: string): string {
    const held = this.of(apiVersion, kind);
    return apiPath(held, { name, ...(held.namespaced ? { namespace } : {}) });
  }
}

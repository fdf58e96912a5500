import { apiGroupOf, type Concern, heldKinds, type WatchScope } from './concern.ts';

/** One API right the operator needs, where it needs it. */
export interface OperatorRight {
  apiGroup: string;
  resource: string;
  verbs: string[];
  resourceNames?: string[];
  scope: WatchScope;
}

/** What holding a kind takes: owned objects are created and deleted; claimed ones only read and patched. */
const verbsFor = {
  owned: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
  claimed: ['get', 'list', 'watch', 'patch'],
};

/** The API rights the operator needs for the concerns: the source the operator's RBAC is checked against. */
export function operatorRights(concerns: readonly Concern[]): OperatorRight[] {
  const forKinds = heldKinds(concerns).map((kind) => ({
    apiGroup: apiGroupOf(kind.apiVersion),
    resource: kind.plural,
    verbs: verbsFor[kind.holding],
    scope: kind.watch,
  }));
  const extra = concerns.flatMap((concern) => concern.extraRights ?? []);
  return [...forKinds, ...extra];
}

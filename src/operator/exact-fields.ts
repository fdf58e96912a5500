import { isDeepStrictEqual } from 'node:util';
import type { KubernetesObject } from '../kube/object.ts';
import type { Manifest } from '../tenancy/manifest.ts';

/** The top-level fields of the live object that differ from the desired ones (absent on one side counts). */
export function inexactFields(desired: Manifest, live: KubernetesObject, exact: readonly string[]): string[] {
  const liveFields = live as unknown as Record<string, unknown>;
  return exact.filter((field) => !isDeepStrictEqual(desired[field], liveFields[field]));
}

/**
 * A JSON patch that sets the fields to exactly the desired values, on the very version judged: server-side
 * apply keeps what other writers own (an added `ingress: [{}]`), a replace does not.
 */
export function exactFieldsPatch(desired: Manifest, live: KubernetesObject, fields: readonly string[]): unknown[] {
  const liveFields = live as unknown as Record<string, unknown>;
  const operations: unknown[] = [
    { op: 'test', path: '/metadata/resourceVersion', value: live.metadata?.resourceVersion ?? '' },
  ];
  for (const field of fields) {
    if (desired[field] === undefined) {
      if (liveFields[field] !== undefined) operations.push({ op: 'remove', path: `/${field}` });
    } else {
      const op = liveFields[field] === undefined ? 'add' : 'replace';
      operations.push({ op, path: `/${field}`, value: desired[field] });
    }
  }
  return operations;
}

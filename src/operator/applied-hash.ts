import { createHash } from 'node:crypto';
import type { KubernetesObject } from '../kube/object.ts';
import type { Manifest } from '../tenancy/manifest.ts';

/**
 * The annotation in which every object Landlord applies records the hash of what was applied. It outlives the
 * operator's memory: after a restart (an upgrade, a platform configuration change), an object whose annotation
 * differs from the hash of what the builders make now is applied again, and server-side apply then removes the
 * fields Landlord set before and sets no more. Never a secret: a hash of the object's own content.
 */
export const appliedHashAnnotation = 'landlord.dev/applied-hash';

/** The hash of a desired object, as recorded in the annotation (the object's JSON as the builders make it). */
export function desiredHash(desired: Manifest): string {
  return createHash('sha256').update(JSON.stringify(desired)).digest('base64url');
}

/** The desired object with its hash recorded, as it is applied. */
export function withAppliedHash(desired: Manifest, hash: string): Manifest {
  const annotations = { ...desired.metadata.annotations, [appliedHashAnnotation]: hash };
  return { ...desired, metadata: { ...desired.metadata, annotations } };
}

/** The hash recorded on a live object when Landlord last applied it (undefined: never, or before the annotation). */
export function appliedHashOf(live: KubernetesObject): string | undefined {
  return live.metadata?.annotations?.[appliedHashAnnotation];
}

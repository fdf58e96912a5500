import { type KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';

/** Landlord's one field manager: every object it writes is applied under this name. */
export const fieldManager = 'landlord';

/**
 * Server-side applies each object under Landlord's field manager. Applying what is already there is a no-op
 * for the API server (no new resourceVersion), which keeps repeated runs free of writes.
 */
export async function applyObjects(kubeConfig: KubeConfig, objects: KubernetesObject[]): Promise<KubernetesObject[]> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const applied: KubernetesObject[] = [];
  for (const object of objects) {
    applied.push(
      await client.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply),
    );
  }
  return applied;
}

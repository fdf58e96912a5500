import { ApiextensionsV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { applyObjects } from './apply.ts';

/** Applies CustomResourceDefinitions and waits until the API server serves them. */
export async function installCrds(kubeConfig: KubeConfig, crds: KubernetesObject[], timeoutMs = 60_000): Promise<void> {
  await applyObjects(kubeConfig, crds);
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    while (!(await isEstablished(api, name))) {
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not Established within ${timeoutMs / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function isEstablished(api: ApiextensionsV1Api, name: string): Promise<boolean> {
  const crd = await api.readCustomResourceDefinition({ name });
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}

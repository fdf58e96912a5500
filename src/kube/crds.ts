import type { KubernetesObject } from './object.ts';
import { applyObject } from './apply.ts';
import type { Discovery } from './discovery.ts';
import type { KubeHttp } from './http.ts';
import { apiPath } from './api-path.ts';
import { resources } from './resources.ts';

interface CrdStatus {
  status?: { conditions?: { type: string; status: string }[] };
}

/** Applies CustomResourceDefinitions and waits until the API server serves them. */
export async function installCrds(http: KubeHttp, discovery: Discovery, crds: KubernetesObject[], timeoutMs = 60_000) {
  for (const crd of crds) await applyObject(http, discovery, crd);
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const path = apiPath(resources.customResourceDefinition, { name: crd.metadata?.name ?? '' });
    while (!isEstablished(await http.request<CrdStatus>({ method: 'GET', path }))) {
      if (Date.now() > deadline)
        throw new Error(`CRD ${crd.metadata?.name} was not Established within ${timeoutMs / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  discovery.reset();
}

function isEstablished(crd: CrdStatus): boolean {
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}

import type { KubeHttp } from '../../src/kube/http.ts';
import { waitFor } from './wait.ts';

/**
 * Deletes every Tenant and waits until they are gone, so the next test file starts from a clean cluster.
 * Call it while an operator still runs: it is the operator that completes the teardown.
 */
export async function deleteAllTenants(http: KubeHttp, timeoutMs = 120_000): Promise<void> {
  const path = '/apis/landlord.dev/v1alpha1/tenants';
  const { items } = await http.request<{ items: { metadata: { name: string } }[] }>({ method: 'GET', path });
  for (const tenant of items) await http.send({ method: 'DELETE', path: `${path}/${tenant.metadata.name}` });
  await waitFor(
    async () => (await http.request<{ items: unknown[] }>({ method: 'GET', path })).items.length === 0,
    'every tenant to be torn down',
    timeoutMs,
  );
}

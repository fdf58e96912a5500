import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tenantResource } from '../../src/api/crd.ts';
import { apiPath } from '../../src/kube/api-path.ts';
import { KubeHttp } from '../../src/kube/http.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';
import { validTenant } from '../fixtures/tenants.ts';
import { testCluster } from './cluster.ts';

/** A house tenant document: isolation vcluster at the given minor version, no node pool (houses are heavy enough). */
export function houseTenant(team: string, kubernetesVersion: string): ReturnType<typeof validTenant> {
  const document = validTenant(team, team);
  document.spec.isolation = 'vcluster';
  document.spec.kubernetesVersion = kubernetesVersion;
  delete document.spec.nodePool;
  return document;
}

/** Creates a house tenant on the test cluster, its document first changed by `change` (a node pool, say). */
export async function createHouse(
  team: string,
  kubernetesVersion: string,
  change: (document: ReturnType<typeof validTenant>) => void = () => {},
): Promise<void> {
  const document = houseTenant(team, kubernetesVersion);
  change(document);
  await testCluster().http.request({ method: 'POST', path: apiPath(tenantResource), body: document });
}

/** A client of the house's API with the admin kubeconfig vCluster wrote (`vc-<team>`), as a platform admin may. */
export async function houseClient(team: string): Promise<KubeHttp> {
  const secret = await testCluster().http.request<{ data: Record<string, string> }>({
    method: 'GET',
    path: `/api/v1/namespaces/vcluster-${team}/secrets/vc-${team}`,
  });
  const dir = mkdtempSync(join(tmpdir(), 'house-client-'));
  try {
    const file = join(dir, 'house.kubeconfig');
    writeFileSync(file, Buffer.from(secret.data.config ?? '', 'base64'), { mode: 0o600 });
    return new KubeHttp(loadConnection(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The house API server's /version, or undefined while it does not answer. */
export async function houseVersion(client: KubeHttp): Promise<string | undefined> {
  try {
    return (await client.request<{ gitVersion: string }>({ method: 'GET', path: '/version', timeoutMs: 3000 }))
      .gitVersion;
  } catch {
    return undefined;
  }
}

// Turns a house's own Argo CD's polling off, as its team (cluster-admin there) may, and proves it took effect.
import { readFileSync } from 'node:fs';
import { houseRunnerStatus } from '../../src/dev/houses/runner-lifecycle.ts';
import { processTree, programName } from '../../src/dev/houses/process-tree.ts';
import type { LocalCluster } from '../../src/dev/cluster/local-cluster.ts';
import type { KubeHttp } from '../../src/kube/http.ts';
import { testCluster } from './cluster.ts';
import { waitFor } from './wait.ts';

const reconciliationTimeout = 'ARGOCD_RECONCILIATION_TIMEOUT=0s';

/** The environment of the house's application controller as the runner runs it (empty while it is replaced). */
function controllerEnvironment(cluster: LocalCluster, team: string): string[] {
  const house = houseRunnerStatus(cluster)?.houses.find(
    (each) => each.pod === `vcluster-${team}/${team}-0` && each.phase !== 'Stopped',
  );
  const pid = house?.argocd?.processes.find((each) => each.name === 'argocd-application-controller')?.pid ?? 0;
  const program = pid ? processTree(pid).find((each) => programName(each) === 'argocd') : undefined;
  if (!program) return [];
  try {
    return readFileSync(`/proc/${program}/environ`, 'utf8').split('\0');
  } catch {
    // Ended between the listing and the read: it is being replaced; the next look finds its successor.
    return [];
  }
}

/**
 * Sets argocd-cm's timeout.reconciliation to 0s inside the house (no periodic comparison: only a refresh request
 * makes Argo CD look at the repository again) and rolls the application controller, which reads it at start, as
 * `kubectl rollout restart` would; resolves once the controller runs with it and the API server answers again.
 */
export async function turnHousePollingOff(team: string, house: KubeHttp, argocdURL: string): Promise<void> {
  const { cluster } = testCluster();
  await house.request({
    method: 'PATCH',
    path: '/api/v1/namespaces/argocd/configmaps/argocd-cm',
    contentType: 'application/merge-patch+json',
    body: { data: { 'timeout.reconciliation': '0s' } },
  });
  await house.request({
    method: 'PATCH',
    path: '/apis/apps/v1/namespaces/argocd/statefulsets/argocd-application-controller',
    contentType: 'application/merge-patch+json',
    body: {
      spec: {
        template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } },
      },
    },
  });
  await waitFor(
    () => controllerEnvironment(cluster, team).includes(reconciliationTimeout),
    `the house's application controller running with ${reconciliationTimeout}`,
    180_000,
  );
  await waitFor(
    async () =>
      (await fetch(`${argocdURL}/api/version`, { signal: AbortSignal.timeout(3000) }).catch(() => undefined))?.ok ===
      true,
    "the house's Argo CD answering again",
    120_000,
  );
}

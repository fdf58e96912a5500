import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PlatformConfig } from '../api/platform-config.ts';
import { applyObject } from '../kube/apply.ts';
import { loadConnection } from '../kube/kubeconfig.ts';
import { TenantOperator } from '../operator/controller.ts';
import { startMetricsServer } from '../operator/server.ts';
import { formatDuration } from '../util/duration.ts';
import { connect } from './cluster/connect.ts';
import { clusterUp } from './cluster/lifecycle.ts';
import { kubeconfigPath, type LocalCluster } from './cluster/local-cluster.ts';

/** The example tenants `npm start` provisions. */
export const examplesDir = join(import.meta.dirname, '..', '..', 'examples', 'tenants');

/**
 * The whole platform locally: the cluster, the CRDs, the example tenants and the operator, in the foreground
 * until the signal aborts. The cluster keeps running afterwards (`landlord dev down` removes it).
 */
export async function startPlatform(
  cluster: LocalCluster,
  platform: PlatformConfig,
  stop: AbortSignal,
  log: (line: string) => void,
) {
  const up = await clusterUp(cluster, log);
  const { http, discovery } = connect(cluster);
  const files = readdirSync(examplesDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort();
  for (const file of files) await applyObject(http, discovery, parse(readFileSync(join(examplesDir, file), 'utf8')));
  http.close();
  const operator = new TenantOperator({
    kubeConfig: loadConnection(kubeconfigPath(cluster)),
    platform,
    identity: 'landlord-dev',
    log,
    leaderElection: { namespace: 'default', name: 'landlord-operator' },
  });
  const server = await startMetricsServer(operator, '127.0.0.1', 9090);
  const kubeconfig = kubeconfigPath(cluster);
  process.stdout.write(
    [
      '',
      `Landlord is running (cluster ${up.created ? 'created' : 'ready'} in ${formatDuration(up.seconds * 1000)}).`,
      `  tenants:     bin/kubectl --kubeconfig ${kubeconfig} get tenants -o wide`,
      `  one tenant:  bin/kubectl --kubeconfig ${kubeconfig} get ns,resourcequota,networkpolicy,rolebinding -n devteam-a`,
      `  Argo CD:     bin/kubectl --kubeconfig ${kubeconfig} get appprojects,applications -n argocd`,
      '  metrics:     http://127.0.0.1:9090/metrics (health: /healthz, /readyz)',
      `  more:        bin/kubectl --kubeconfig ${kubeconfig} apply -f your-tenant.yaml`,
      'Ctrl-C stops the operator; the cluster keeps running until `bin/landlord dev down`.',
      '',
    ].join('\n'),
  );
  await operator.run(stop);
  server.close();
  operator.close();
}

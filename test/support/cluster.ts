import { after } from 'node:test';
import type { LocalCluster } from '../../src/dev/cluster/local-cluster.ts';
import type { LocalEnvironment } from '../../src/dev/environment.ts';
import { Discovery } from '../../src/kube/discovery.ts';
import { KubeHttp } from '../../src/kube/http.ts';
import { loadConnection } from '../../src/kube/kubeconfig.ts';

/** The cluster the global setup created for this run, with an admin client closed after the file's tests. */
export function testCluster(): { cluster: LocalCluster; kubeconfig: string; http: KubeHttp; discovery: Discovery } {
  const described = process.env.LANDLORD_TEST_CLUSTER;
  const kubeconfig = process.env.LANDLORD_TEST_KUBECONFIG;
  if (!described || !kubeconfig) {
    throw new Error(
      'no test cluster: run integration tests with `npm run test:integration` (its global setup creates one)',
    );
  }
  const http = new KubeHttp(loadConnection(kubeconfig));
  after(() => http.close());
  return { cluster: JSON.parse(described), kubeconfig, http, discovery: new Discovery(http) };
}

/** The environment around the test cluster: Argo CD, the platform settings matching it, the platform repo. */
export function testEnvironment(): LocalEnvironment {
  const described = process.env.LANDLORD_TEST_ENVIRONMENT;
  if (!described) throw new Error('no test environment: run integration tests with `npm run test:integration`');
  return JSON.parse(described);
}

/** A name no other test uses, for objects a test creates. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, '0')}`;
}

/** Creates the namespace unless it exists (a namespace the operator's defaults expect, such as landlord-system). */
export async function ensureNamespace(http: KubeHttp, name: string): Promise<void> {
  const found = await http.send({ method: 'GET', path: `/api/v1/namespaces/${name}` });
  if (found.status === 404) {
    await http.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name } } });
  }
}

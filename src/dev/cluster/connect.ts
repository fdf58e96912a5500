import { Discovery } from '../../kube/discovery.ts';
import { KubeHttp, loadKubeConfig } from '../../kube/http.ts';
import { kubeconfigPath, type LocalCluster } from './local-cluster.ts';

/** A client for the local cluster, with its admin kubeconfig. */
export function connect(cluster: LocalCluster): { http: KubeHttp; discovery: Discovery } {
  const http = new KubeHttp(loadKubeConfig(kubeconfigPath(cluster)));
  return { http, discovery: new Discovery(http) };
}

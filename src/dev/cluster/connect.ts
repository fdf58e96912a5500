import { Discovery } from '../../kube/discovery.ts';
import { KubeHttp } from '../../kube/http.ts';
import { loadConnection } from '../../kube/kubeconfig.ts';
import { kubeconfigPath, type LocalCluster } from './local-cluster.ts';

/** A client for the local cluster, with its admin kubeconfig. */
export function connect(cluster: LocalCluster): { http: KubeHttp; discovery: Discovery } {
  const http = new KubeHttp(loadConnection(kubeconfigPath(cluster)));
  return { http, discovery: new Discovery(http) };
}

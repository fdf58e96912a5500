import type { KubeHttp } from '../../src/kube/http.ts';
import { operatorAccount } from '../../src/dev/admission.ts';
import type { Concern } from '../../src/tenancy/concern.ts';
import { operatorRights } from '../../src/tenancy/operator-rights.ts';
import { uniqueName } from './cluster.ts';

const rbac = '/apis/rbac.authorization.k8s.io/v1';

/**
 * Grants the operator's ServiceAccount the rights the concerns need beyond deploy/rbac/operator.yaml (a test's
 * throwaway concerns), as a platform adding a concern would; returns what takes them back.
 */
export async function grantOperatorRights(http: KubeHttp, concerns: readonly Concern[]): Promise<() => Promise<void>> {
  const name = uniqueName('landlord-operator-test');
  const rules = operatorRights(concerns).map((right) => ({
    apiGroups: [right.apiGroup],
    resources: [right.resource],
    verbs: right.verbs,
    ...(right.resourceNames ? { resourceNames: right.resourceNames } : {}),
  }));
  const metadata = { name };
  await http.request({ method: 'POST', path: `${rbac}/clusterroles`, body: { metadata, rules } });
  await http.request({
    method: 'POST',
    path: `${rbac}/clusterrolebindings`,
    body: {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', ...operatorAccount }],
    },
  });
  return async () => {
    await http.send({ method: 'DELETE', path: `${rbac}/clusterrolebindings/${name}` });
    await http.send({ method: 'DELETE', path: `${rbac}/clusterroles/${name}` });
  };
}

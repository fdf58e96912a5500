import type { KubeHttp } from '../../src/kube/http.ts';
import { waitFor } from './wait.ts';

type Checked = {
  metadata: { generation: number };
  status?: { observedGeneration?: number; typeChecking?: { expressionWarnings?: unknown[] } };
};

/** What the API server's type checker says of a ValidatingAdmissionPolicy, once it has checked its latest version. */
export async function policyTypeWarnings(http: KubeHttp, name: string): Promise<unknown[]> {
  const path = `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${name}`;
  let policy: Checked | undefined;
  await waitFor(
    async () => {
      policy = await http.request<Checked>({ method: 'GET', path });
      return (
        policy.status?.observedGeneration === policy.metadata.generation && policy.status.typeChecking !== undefined
      );
    },
    'the policy to be type-checked',
    10_000,
  );
  return policy?.status?.typeChecking?.expressionWarnings ?? [];
}

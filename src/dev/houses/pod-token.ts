import type { Pod } from 'kubernetes-types/core/v1.js';
import { apiPath } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { resources } from '../../kube/resources.ts';

/** A token issued for a pod's ServiceAccount and when it expires. */
export interface PodToken {
  token: string;
  expiresAt: Date;
}

/**
 * A TokenRequest for the pod's own ServiceAccount, bound to the pod (it dies with the pod, as the kubelet's
 * projected tokens do): the house acts on the host with exactly the rights the chart gave that account.
 */
export async function requestPodToken(
  http: KubeHttp,
  pod: Pod,
  source: { audience?: string; expirationSeconds?: number },
): Promise<PodToken> {
  const namespace = pod.metadata?.namespace as string;
  const answer = await http.request<{ status: { token: string; expirationTimestamp: string } }>({
    method: 'POST',
    path: apiPath(resources.serviceAccount, {
      namespace,
      name: pod.spec?.serviceAccountName ?? 'default',
      subresource: 'token',
    }),
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        ...(source.audience ? { audiences: [source.audience] } : {}),
        expirationSeconds: source.expirationSeconds ?? 3607,
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, uid: pod.metadata?.uid },
      },
    },
  });
  return { token: answer.status.token, expiresAt: new Date(answer.status.expirationTimestamp) };
}

/** When to renew a token: at 80% of its life, as the kubelet does (at least a second from now). */
export function renewalDelayMs(token: PodToken, now = Date.now()): number {
  return Math.max(1000, Math.floor((token.expiresAt.getTime() - now) * 0.8));
}

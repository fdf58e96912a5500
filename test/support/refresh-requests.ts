import type { KubeHttp } from '../../src/kube/http.ts';
import { testCluster } from './cluster.ts';

const refreshAnnotation = 'argocd.argoproj.io/refresh';

/**
 * Watches one Argo CD Application for refresh requests (the annotation a webhook or a person sets and the controller
 * clears): polling never sets it, so one seen after a push means something asked Argo CD to look. `ready` settles once
 * the watch is open; stop() ends the watch and says how many were seen. On the host cluster unless another API server
 * (a house's) is given.
 */
export function watchRefreshRequests(namespace: string, name: string, http: KubeHttp = testCluster().http) {
  const stop = new AbortController();
  let seen = 0;
  let opened = () => {};
  // The watch's first event (the Application as it is) says the watch is open: nothing after it is missed.
  const ready = new Promise<void>((resolve) => (opened = resolve));
  const watching = http
    .stream(
      {
        method: 'GET',
        path: `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/applications`,
        query: { watch: 'true', fieldSelector: `metadata.name=${name}` },
      },
      (line) => {
        const event = JSON.parse(line) as { object?: { metadata?: { annotations?: Record<string, string> } } };
        opened();
        if (event.object?.metadata?.annotations?.[refreshAnnotation]) seen++;
      },
      stop.signal,
    )
    .catch(() => undefined);
  return {
    ready,
    async stop(): Promise<number> {
      stop.abort();
      await watching;
      return seen;
    },
  };
}

/** What is read of a pod to tell a platform daemon: its namespace, controller and mirror annotation. */
export interface PodMeta {
  metadata?: {
    namespace?: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; controller?: boolean }[];
  };
}

/**
 * A pod that belongs on every node by the platform's design: a DaemonSet's or a mirror (static) pod, in one of the
 * platform's namespaces. Such a pod is neither a stranger on a dedicated node (the audit) nor one a drain waits for;
 * a team's DaemonSet or mirror pod is neither excused nor left behind.
 */
export function isPlatformDaemon(pod: PodMeta, platformNamespaces: readonly string[]): boolean {
  const { namespace = '', annotations = {}, ownerReferences = [] } = pod.metadata ?? {};
  if (!platformNamespaces.includes(namespace)) return false;
  const daemon = ownerReferences.some((owner) => owner.kind === 'DaemonSet' && owner.controller);
  return daemon || annotations['kubernetes.io/config.mirror'] !== undefined;
}

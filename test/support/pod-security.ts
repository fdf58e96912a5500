/** A pod spec as far as Pod Security reads it. */
interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext & { sysctls?: unknown[] };
  volumes?: Record<string, unknown>[];
  initContainers?: Container[];
  containers: Container[];
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfile?: { type?: string };
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}
interface Container {
  name: string;
  ports?: { hostPort?: number }[];
  securityContext?: SecurityContext;
}

/** Volume types the `restricted` level allows. */
const restrictedVolumes = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/**
 * What in a pod spec the Pod Security `restricted` level (Kubernetes' Pod Security Standards, the checks a house's
 * host namespace enforces) refuses, one line each; empty when it passes.
 */
export function restrictedViolations(pod: PodSpec): string[] {
  const problems: string[] = [];
  const podContext = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push('host namespaces');
  if (podContext.sysctls?.length) problems.push('sysctls');
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name') ?? '';
    if (!restrictedVolumes.has(type)) problems.push(`volume ${String(volume.name)} of type ${type}`);
  }
  if (podContext.runAsUser === 0) problems.push('pod runAsUser 0');
  for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
    const context = container.securityContext ?? {};
    const name = `container ${container.name}`;
    if (context.privileged) problems.push(`${name}: privileged`);
    if (context.allowPrivilegeEscalation !== false) problems.push(`${name}: allowPrivilegeEscalation not false`);
    if (!context.capabilities?.drop?.includes('ALL')) problems.push(`${name}: capabilities not dropping ALL`);
    if ((context.capabilities?.add ?? []).some((capability) => capability !== 'NET_BIND_SERVICE'))
      problems.push(`${name}: adds capabilities`);
    if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push(`${name}: runAsNonRoot not true`);
    if (context.runAsUser === 0) problems.push(`${name}: runAsUser 0`);
    const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') problems.push(`${name}: seccompProfile ${seccomp}`);
    if (container.ports?.some((port) => port.hostPort)) problems.push(`${name}: hostPort`);
  }
  return problems;
}

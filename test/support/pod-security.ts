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
  const podContext = pod.securityContext ?? {};
  return [
    ...podViolations(pod),
    ...[...(pod.initContainers ?? []), ...pod.containers].flatMap((container) =>
      containerViolations(container, podContext).map((problem) => `container ${container.name}: ${problem}`),
    ),
  ];
}

function podViolations(pod: PodSpec): string[] {
  const problems: string[] = [];
  if ([pod.hostNetwork, pod.hostPID, pod.hostIPC].includes(true)) problems.push('host namespaces');
  if (pod.securityContext?.sysctls?.length) problems.push('sysctls');
  if (pod.securityContext?.runAsUser === 0) problems.push('pod runAsUser 0');
  for (const volume of pod.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name') ?? '';
    if (!restrictedVolumes.has(type)) problems.push(`volume ${String(volume.name)} of type ${type}`);
  }
  return problems;
}

function containerViolations(container: Container, podContext: SecurityContext): string[] {
  const context = container.securityContext ?? {};
  const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
  const checks: [boolean, string][] = [
    [context.privileged === true, 'privileged'],
    [context.allowPrivilegeEscalation !== false, 'allowPrivilegeEscalation not false'],
    [!context.capabilities?.drop?.includes('ALL'), 'capabilities not dropping ALL'],
    [(context.capabilities?.add ?? []).some((c) => c !== 'NET_BIND_SERVICE'), 'adds capabilities'],
    [(context.runAsNonRoot ?? podContext.runAsNonRoot) !== true, 'runAsNonRoot not true'],
    [context.runAsUser === 0, 'runAsUser 0'],
    [seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost', `seccompProfile ${seccomp}`],
    [container.ports?.some((port) => port.hostPort) === true, 'hostPort'],
  ];
  return checks.filter(([violated]) => violated).map(([, problem]) => problem);
}

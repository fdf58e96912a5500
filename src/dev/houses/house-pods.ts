import type { Container, EnvVar, Pod } from 'kubernetes-types/core/v1.js';
import type { HouseSettings } from '../../api/house-settings.ts';
import { localImage } from '../images/local-images.ts';
import { houseLabel } from '../../tenancy/house/namespace.ts';

/** A host pod the runner plays kubelet for: its vCluster container and the binary its image stands for. */
export interface HousePod {
  pod: Pod;
  container: Container;
  binary: string;
}

/** The pod's vCluster container, when one of its containers' images is the platform's vCluster image built here. */
export function housePod(pod: Pod, houses: HouseSettings): HousePod | undefined {
  for (const container of pod.spec?.containers ?? []) {
    const image = container.image ? localImage(container.image, houses) : undefined;
    if (image?.kind === 'vcluster') return { pod, container, binary: image.binary };
  }
  return undefined;
}

/**
 * The label the operator puts on a house's host namespace: the runner runs pods only there, a namespace no team can
 * create or label.
 */
export const houseNamespaceLabel = houseLabel;

/**
 * The StatefulSet said to control the pod: a house's control plane is its chart's StatefulSet's pod, while pods the
 * house syncs into the same namespace (whatever image a team gives them inside) have no such owner.
 */
export function controllingStatefulSet(pod: Pod): { name: string; uid: string } | undefined {
  const owner = pod.metadata?.ownerReferences?.find((ref) => ref.controller);
  return owner?.kind === 'StatefulSet' && owner.apiVersion === 'apps/v1'
    ? { name: owner.name, uid: owner.uid }
    : undefined;
}

/** Whether a kubelet would run the pod now: scheduled to a node, not terminating, not finished. */
export function shouldRun(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.spec?.nodeName) && !pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** The key the runner tracks a pod by; a new UID under the same key is a replacement. */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace}/${pod.metadata?.name}`;
}

/** The fields a container's env may read through fieldRef, as the kubelet's downward API serves them. */
function fieldValue(pod: Pod, fieldPath: string): string | undefined {
  const { metadata = {}, spec, status = {} } = pod;
  const keyed = fieldPath.match(/^metadata\.(labels|annotations)\['(.+)'\]$/);
  if (keyed) return (metadata[keyed[1] as 'labels' | 'annotations'] ?? {})[keyed[2] as string] ?? '';
  const fields: Record<string, string | undefined> = {
    'metadata.name': metadata.name,
    'metadata.namespace': metadata.namespace,
    'metadata.uid': metadata.uid,
    'spec.nodeName': spec?.nodeName,
    'spec.serviceAccountName': spec?.serviceAccountName,
    'status.podIP': status.podIP,
    'status.hostIP': status.hostIP,
  };
  if (!(fieldPath in fields))
    throw new Error(`env fieldRef.fieldPath: "${fieldPath}" is not served here; use ${Object.keys(fields).join(', ')}`);
  return fields[fieldPath] ?? '';
}

/** One env entry's value: a literal (with $(VAR) references to earlier entries) or the pod's own fields. */
function envValue(pod: Pod, entry: EnvVar, earlier: Record<string, string>): string {
  if (entry.valueFrom?.fieldRef) return fieldValue(pod, entry.valueFrom.fieldRef.fieldPath) ?? '';
  if (entry.valueFrom)
    throw new Error(
      `env ${entry.name}: valueFrom ${Object.keys(entry.valueFrom).join(', ')} is not served here; use value or fieldRef`,
    );
  return (entry.value ?? '').replace(
    /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
    (whole, name: string) => earlier[name] ?? whole,
  );
}

/** The container's environment exactly as its spec sets it (as the kubelet resolves it, in order). */
export function containerEnv(pod: Pod, container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) env[entry.name] = envValue(pod, entry, env);
  return env;
}

/** The command the container runs: the image's entrypoint (the vCluster image's is `vcluster start`), then its args. */
export function containerCommand(container: Container, binary: string): string[] {
  return [binary, 'start', ...(container.args ?? [])];
}

/**
 * Why the runner will not run this pod, if it will not. Locally a container shares this machine's file system,
 * so the runner runs only the image's own program (no command of the pod's choosing) and never as root: a pod
 * that asks for either is refused, whoever created it.
 */
export function refusal(pod: Pod, container: Container): string | undefined {
  if (container.command?.length)
    return `container ${container.name}: command ${JSON.stringify(container.command)} is refused; houses run here only their image's own entrypoint (leave command unset)`;
  const uid = container.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  if (uid === undefined || uid === 0)
    return `container ${container.name}: runAsUser ${uid ?? 'unset'} is refused; houses run here only as a non-root user (set securityContext.runAsUser)`;
  return undefined;
}

/** The server vCluster exports in its kubeconfig (the chart values' exportKubeConfig.server), as host and port. */
export function exportedServer(config: unknown): { host: string; port: number } | undefined {
  const server = (config as { exportKubeConfig?: { server?: unknown } } | undefined)?.exportKubeConfig?.server;
  if (typeof server !== 'string' || server === '') return undefined;
  const url = new URL(server);
  return { host: url.hostname, port: Number(url.port || 443) };
}

/** The Secret (in the pod's namespace) vCluster writes the house's admin credentials to: vCluster's default name. */
export function exportedSecretName(config: unknown, release: string): string {
  const name = (config as { exportKubeConfig?: { secret?: { name?: unknown } } } | undefined)?.exportKubeConfig?.secret
    ?.name;
  return typeof name === 'string' && name !== '' ? name : `vc-${release}`;
}

/** Whether a house's address is one the runner may listen on: a loopback address (traffic stays on this machine). */
export function isLoopbackAddress(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

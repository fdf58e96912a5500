import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Prefix of the network namespaces the runner creates: the only ones it ever removes. */
export const houseNamespacePrefix = 'landlord-house-';

/** The network namespace of one pod (by its UID: a replaced pod gets a fresh one). */
export function networkNamespaceName(podUid: string): string {
  return `${houseNamespacePrefix}${podUid.replaceAll('-', '').slice(0, 12)}`;
}

const ip = (args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * A network namespace of the house's own, as a container's: only `lo`, up, with the pod's IP on it when it has
 * one, and a default route through it (kube-apiserver refuses to start without a default route). Nothing leaves
 * it but through the runner's unix sockets.
 */
export function createNetworkNamespace(name: string, podIP: string | undefined): void {
  if (!existsSync(`/run/netns/${name}`)) ip(['netns', 'add', name]);
  ip(['-n', name, 'link', 'set', 'lo', 'up']);
  if (podIP && /^\d{1,3}(\.\d{1,3}){3}$/.test(podIP)) ip(['-n', name, 'addr', 'replace', `${podIP}/32`, 'dev', 'lo']);
  ip(['-n', name, 'route', 'replace', 'default', 'dev', 'lo']);
}

/** Removes the namespace (once nothing runs in it); already gone is not an error. */
export function removeNetworkNamespace(name: string): void {
  if (existsSync(`/run/netns/${name}`)) ip(['netns', 'delete', name]);
}

import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { pollUntil } from '../processes/wait-for-port.ts';

const execFileAsync = promisify(execFile);

/** Prefix of the network namespaces the runner creates: the only ones it ever removes. */
export const houseNamespacePrefix = 'landlord-house-';

/** The network namespace of one pod (by its UID: a replaced pod gets a fresh one). */
export function networkNamespaceName(podUid: string): string {
  return `${houseNamespacePrefix}${podUid.replaceAll('-', '').slice(0, 12)}`;
}

const ip = (args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * A network namespace of its own, as a container's: only `lo`, up, with the pod's IP on it when it has
 * one, and a default route through it (kube-apiserver refuses to start without a default route). Nothing leaves
 * it but through the runner's unix sockets.
 */
export function createNetworkNamespace(name: string, podIP: string | undefined): void {
  if (!existsSync(networkNamespacePath(name))) ip(['netns', 'add', name]);
  ip(['-n', name, 'link', 'set', 'lo', 'up']);
  if (podIP && /^\d{1,3}(\.\d{1,3}){3}$/.test(podIP)) ip(['-n', name, 'addr', 'replace', `${podIP}/32`, 'dev', 'lo']);
  ip(['-n', name, 'route', 'replace', 'default', 'dev', 'lo']);
}

/** Removes the namespace (once nothing runs in it); already gone is not an error. */
export function removeNetworkNamespace(name: string): void {
  if (existsSync(networkNamespacePath(name))) ip(['netns', 'delete', name]);
}

/** The network namespace of a house's Argo CD (the team's code runs there): apart from the house's own. */
export const argocdNetworkNamespaceName = (podUid: string) => `${networkNamespaceName(podUid)}-argocd`;

/** The path a process joins the namespace by (nsenter --net). */
export const networkNamespacePath = (name: string) => `/run/netns/${name}`;

/** Whether something listens on the TCP port inside the namespace (the runner's own sockets cannot reach in). */
export async function listensIn(name: string, port: number): Promise<boolean> {
  const { stdout } = await execFileAsync('ss', ['-N', name, '-Hltn', `sport = :${port}`]);
  return stdout.trim().length > 0;
}

/** Waits until something listens on the port inside the namespace; false when it died first or time ran out. */
export const waitForPortIn = (name: string, port: number, timeoutMs: number, died: () => boolean) =>
  pollUntil(() => listensIn(name, port), timeoutMs, died);

import { join } from 'node:path';
import type { ProcessSpec } from '../processes/background-process.ts';
import { shellQuote } from './house-process.ts';

/**
 * How a house's Argo CD process is kept from this machine: as the house's own user (never root), in a network
 * namespace of its own (nothing of this machine's loopback: neither the host Argo CD nor another house), with the
 * folder that holds the machine's secrets (root's home: Landlord's cache, the clusters' admin kubeconfigs) hidden
 * but for the few folders it needs, bound back at their paths.
 */
export interface Confinement {
  uid: number;
  /**
   * Hidden behind an empty tmpfs each in the process's own mount namespace: root's home, and /tmp (Argo CD puts
   * fixed paths there, such as the repo-server's askpass socket, which the host Argo CD's uses too).
   */
  hidden: string[];
  /** Folders under `hidden` shown again at their paths (the binaries, the house's Argo CD folder, the Git repos). */
  shown: string[];
  /** Where those are bound first, before `hidden` is covered (an empty folder of root's, outside `hidden`). */
  stageDir: string;
  home: string;
  /** The network namespace it runs in (the runner bridges only what it may reach into it). */
  networkNamespace: string;
  /**
   * A resolv.conf bound over /etc/resolv.conf: a nameserver on its own loopback, so a name lookup fails at once there
   * instead of waiting out the machine's nameserver it cannot reach (grpc-go looks up `_grpc_config.localhost`).
   */
  resolvConf: string;
}

/**
 * The user of a house's Argo CD: one per house address (127.64.0.0/10 is 2^22 addresses), far above any account of
 * the machine, so neither another house nor a person of the machine shares it.
 */
export function houseUid(address: string): number {
  const [, second, third, fourth] = address.split('.').map(Number);
  return 1_000_000_000 + (((second ?? 0) & 63) << 16) + ((third ?? 0) << 8) + (fourth ?? 0);
}

/** The script a root shell runs as the first process of the PID and mount namespaces, the command as the user. */
export function confinedScript(spec: Pick<ProcessSpec, 'command' | 'args' | 'cwd'>, confinement: Confinement): string {
  const stage = (index: number) => shellQuote(join(confinement.stageDir, String(index)));
  const lines = ['set -eu'];
  for (const [index, folder] of confinement.shown.entries())
    lines.push(`mkdir -p ${stage(index)}`, `mount --bind ${shellQuote(folder)} ${stage(index)}`);
  for (const folder of confinement.hidden)
    lines.push(`mount -t tmpfs -o mode=1777 landlord-confined ${shellQuote(folder)}`);
  for (const [index, folder] of confinement.shown.entries())
    lines.push(`mkdir -p ${shellQuote(folder)}`, `mount --bind ${stage(index)} ${shellQuote(folder)}`);
  // After the folders are shown again (the file lives in one of them); a machine without the file skips it.
  lines.push(
    `if [ -e /etc/resolv.conf ]; then mount --bind ${shellQuote(confinement.resolvConf)} /etc/resolv.conf; fi`,
  );
  if (spec.cwd) lines.push(`cd ${shellQuote(spec.cwd)}`);
  const user = [`--reuid=${confinement.uid}`, `--regid=${confinement.uid}`, '--clear-groups', '--no-new-privs'];
  // Not exec'd: the root shell stays the namespace's first process and keeps its parent-death signal (a change of
  // user clears it); the command ending ends the shell, and with it every process of the namespace.
  lines.push(['setpriv', ...user, '--', spec.command, ...spec.args].map(shellQuote).join(' '), 'exit $?');
  return lines.join('\n');
}

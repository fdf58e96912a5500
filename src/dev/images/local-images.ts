import { join } from 'node:path';
import type { HouseSettings } from '../../api/house-settings.ts';
import { binaryPath, cacheRoot, toolDir } from '../tools/cache.ts';
import { pinnedVersion, releasesOf } from '../tools/upstream-tools.ts';

/** The binaries a Kubernetes distro image holds, as vCluster expects them under /binaries. */
export const distroBinaries = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kine'] as const;

/** What a container image stands for on this machine, where images are never pulled: local binaries. */
export type LocalImage =
  { kind: 'vcluster'; binary: string } | { kind: 'kubernetes'; version: string; binariesDir: string };

/**
 * The local binaries an image reference stands for, for the house runner that plays kubelet; undefined when this
 * machine cannot run the image (the runner says so). Pure: it computes paths and creates nothing.
 * - `houses.images.vcluster` → `{ kind: 'vcluster', binary }`: the pinned vCluster built from its Go module.
 * - `${houses.images.kubernetes}:<patch>` (`v1.35.4` or `1.35.4`) → `{ kind: 'kubernetes', version, binariesDir }`:
 *   a folder holding kube-apiserver, kube-controller-manager, kube-scheduler of that very patch release and kine,
 *   made by `prepareLocalImage`; a patch no local tool builds → undefined.
 */
export function localImage(reference: string, houses: HouseSettings): LocalImage | undefined {
  if (reference === houses.images.vcluster) return { kind: 'vcluster', binary: binaryPath('vcluster') };
  const prefix = `${houses.images.kubernetes}:`;
  if (!reference.startsWith(prefix)) return undefined;
  const version = `v${reference.slice(prefix.length).replace(/^v/, '')}`;
  if (!kubernetesReleaseTool(version)) return undefined;
  return { kind: 'kubernetes', version, binariesDir: distroImageDir(version) };
}

/** The patch releases of Kubernetes this machine builds, such as v1.35.4 and v1.36.3. */
export function localKubernetesReleases(): string[] {
  return releasesOf('kubernetes').map(pinnedVersion);
}

/** The folder of hard links standing for the Kubernetes distro image of one patch release. */
export function distroImageDir(version: string): string {
  return join(cacheRoot(), 'images', `kubernetes-${version}`);
}

/** Where each binary of a Kubernetes distro image is built, by name; undefined for a patch no local tool builds. */
export function distroBinarySources(version: string): Record<(typeof distroBinaries)[number], string> | undefined {
  const tool = kubernetesReleaseTool(version);
  if (!tool) return undefined;
  const kubernetesDir = toolDir(tool);
  return {
    'kube-apiserver': join(kubernetesDir, 'kube-apiserver'),
    'kube-controller-manager': join(kubernetesDir, 'kube-controller-manager'),
    'kube-scheduler': join(kubernetesDir, 'kube-scheduler'),
    kine: binaryPath('kine'),
  };
}

function kubernetesReleaseTool(version: string) {
  return releasesOf('kubernetes').find((tool) => pinnedVersion(tool) === version);
}

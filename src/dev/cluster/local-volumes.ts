import { join, relative, sep } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { clusterDir, type LocalCluster } from './local-cluster.ts';

/** The local cluster's default StorageClass: a folder on this machine per claim (KWOK has no volume provisioner). */
export const localStorageClassName = 'landlord-local';
/** The provisioner the class names, and the annotation on the volumes it made. */
export const localProvisionerName = 'landlord.dev/local-volume';
const provisionedByAnnotation = 'pv.kubernetes.io/provisioned-by';

/** Where one cluster's volumes live: a folder per PersistentVolume, removed with the cluster. */
export function volumesDir(cluster: LocalCluster): string {
  return join(clusterDir(cluster), 'volumes');
}

/** The default StorageClass: bound at once (no node to wait for), deleted with its claim. */
export function buildLocalStorageClass(): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: localStorageClassName,
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: localProvisionerName,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

/** Whether the provisioner owes the claim a volume: pending, of its class, and naming no volume of its own. */
export function needsVolume(claim: PersistentVolumeClaim, volumes: PersistentVolume[]): boolean {
  if (claim.spec?.storageClassName !== localStorageClassName) return false;
  // A claim naming a volume asks for that one (static binding): never a new one, whoever asks.
  if (claim.spec.volumeName) return false;
  if (claim.status?.phase && claim.status.phase !== 'Pending') return false;
  if (claim.metadata?.deletionTimestamp) return false;
  return !volumes.some((volume) => volume.spec?.claimRef?.uid === claim.metadata?.uid);
}

/** The volume for a claim: a folder named after the claim's uid (the server's, never the tenant's), bound to it. */
export function buildLocalVolume(claim: PersistentVolumeClaim, cluster: LocalCluster): PersistentVolume {
  const { uid, namespace, name: claimName } = claim.metadata ?? {};
  if (!uid) throw new Error('a claim without a uid cannot be given a volume');
  const name = `pvc-${uid}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [provisionedByAnnotation]: localProvisionerName } },
    spec: {
      ...requested(claim),
      storageClassName: localStorageClassName,
      persistentVolumeReclaimPolicy: 'Delete',
      hostPath: { path: join(volumesDir(cluster), name), type: 'Directory' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: claimName, uid },
    },
  };
}

/** What the claim asks of its volume: size, access modes, volume mode. */
function requested(claim: PersistentVolumeClaim) {
  const spec = claim.spec ?? {};
  return {
    capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
    accessModes: spec.accessModes ?? ['ReadWriteOnce'],
    volumeMode: spec.volumeMode ?? 'Filesystem',
  };
}

/** Whether a volume is this provisioner's and its claim is gone: its folder and the volume itself must go. */
export function isReleasedLocalVolume(volume: PersistentVolume): boolean {
  return (
    volume.metadata?.annotations?.[provisionedByAnnotation] === localProvisionerName &&
    volume.spec?.persistentVolumeReclaimPolicy === 'Delete' &&
    (volume.status?.phase === 'Released' || volume.status?.phase === 'Failed')
  );
}

/**
 * The host folder behind a volume the local provisioner made (the house runner mounts it as the pod's `data`
 * volume, /data); undefined for any other volume, or one whose path leaves the cluster's volumes folder.
 */
export function hostFolderOfVolume(volume: PersistentVolume, cluster: LocalCluster): string | undefined {
  if (volume.metadata?.annotations?.[provisionedByAnnotation] !== localProvisionerName) return undefined;
  const path = volume.spec?.hostPath?.path;
  if (!path) return undefined;
  const inside = relative(volumesDir(cluster), path);
  if (!inside || inside.startsWith('..') || inside.includes(sep)) return undefined;
  return path;
}

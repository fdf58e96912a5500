import {
  chownSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Pod, Volume, VolumeProjection } from 'kubernetes-types/core/v1.js';
import type { HouseSettings } from '../../api/house-settings.ts';
import { apiPath } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { localImage } from '../images/local-images.ts';
import { LocalImageError, prepareLocalImage } from '../images/prepare-local-image.ts';
import { renewalDelayMs, requestPodToken } from './pod-token.ts';

const secrets = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true } as const;
const configMaps = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true } as const;
const claims = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true };
const volumes = { apiVersion: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false } as const;

/** A volume the pod is waiting for (an unbound claim, a missing Secret): retried, not a failure of the house. */
export class VolumeNotReady extends Error {}

/**
 * The pod's volumes as folders on this machine, as the kubelet would set them up: emptyDirs kept per pod (they
 * survive restarts of the container, not the pod), Secrets and ConfigMaps written out, projected ServiceAccount
 * tokens requested for the pod and renewed, claims as their PersistentVolume's host folder, and a volume an init
 * container fills from a local image (the Kubernetes binaries) filled from that image.
 */
export class PodVolumes {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** Volume name -> folder on this machine. */
  readonly folders = new Map<string, string>();

  private readonly http: KubeHttp;
  private readonly pod: Pod;
  private readonly podDir: string;
  private readonly houses: HouseSettings;
  private readonly log: (line: string) => void;
  /** Who the container runs as (its securityContext): what the kubelet would give the volumes to (fsGroup). */
  private readonly owner: { uid: number; gid: number } | undefined;

  constructor(options: {
    http: KubeHttp;
    pod: Pod;
    podDir: string;
    houses: HouseSettings;
    log: (line: string) => void;
    owner?: { uid: number; gid: number };
  }) {
    this.http = options.http;
    this.pod = options.pod;
    this.podDir = options.podDir;
    this.houses = options.houses;
    this.log = options.log;
    this.owner = options.owner;
  }

  /** Gives a folder or file the runner wrote to the container's user, as fsGroup would. */
  private own(path: string): void {
    if (this.owner) chownSync(path, this.owner.uid, this.owner.gid);
  }

  private get namespace(): string {
    return this.pod.metadata?.namespace as string;
  }

  /** Sets every volume up; throws VolumeNotReady while something it needs is not there yet. */
  async prepare(): Promise<void> {
    for (const volume of this.pod.spec?.volumes ?? []) this.folders.set(volume.name, await this.prepareOne(volume));
  }

  /** Stops renewing tokens. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  private async prepareOne(volume: Volume): Promise<string> {
    const folder = join(this.podDir, 'volumes', volume.name);
    if (volume.persistentVolumeClaim) return this.claimFolder(volume.persistentVolumeClaim.claimName);
    mkdirSync(folder, { recursive: true });
    this.own(folder);
    if (volume.emptyDir) {
      this.fillFromInitContainer(volume.name, folder);
      return folder;
    }
    if (volume.secret) {
      const data = await this.read(secrets, volume.secret.secretName as string, volume.secret.optional);
      this.writeKeys(folder, data, 0o400);
      return folder;
    }
    if (volume.configMap) {
      const data = await this.read(configMaps, volume.configMap.name as string, volume.configMap.optional);
      this.writeKeys(folder, data, 0o444);
      return folder;
    }
    if (volume.projected) {
      for (const source of volume.projected.sources ?? []) await this.project(folder, source);
      return folder;
    }
    throw new Error(
      `volume ${volume.name}: its kind (${Object.keys(volume).filter((k) => k !== 'name')}) is not served here; use emptyDir, secret, configMap, projected or persistentVolumeClaim`,
    );
  }

  /** An emptyDir an init container fills from an image built here (the chart's `kubernetes` init container). */
  private fillFromInitContainer(volumeName: string, folder: string): void {
    for (const init of this.pod.spec?.initContainers ?? []) {
      if (!init.volumeMounts?.some((mount) => mount.name === volumeName)) continue;
      const image = init.image ? localImage(init.image, this.houses) : undefined;
      if (image?.kind !== 'kubernetes')
        throw new Error(`init container ${init.name}: image ${init.image} is not one this machine runs`);
      try {
        prepareLocalImage(image);
      } catch (error) {
        if (error instanceof LocalImageError) throw new VolumeNotReady(`init container ${init.name}: ${error.message}`);
        throw error;
      }
      linkTree(image.binariesDir, folder);
    }
  }

  private async claimFolder(claimName: string): Promise<string> {
    const claim = await this.http.request<{ spec?: { volumeName?: string }; status?: { phase?: string } }>({
      method: 'GET',
      path: apiPath(claims, { namespace: this.namespace, name: claimName }),
    });
    const volumeName = claim.spec?.volumeName;
    if (!volumeName || claim.status?.phase !== 'Bound')
      throw new VolumeNotReady(`claim ${claimName} is not bound to a volume yet`);
    const volume = await this.http.request<{ spec?: { hostPath?: { path: string }; local?: { path: string } } }>({
      method: 'GET',
      path: apiPath(volumes, { name: volumeName }),
    });
    const path = volume.spec?.hostPath?.path ?? volume.spec?.local?.path;
    if (!path) throw new Error(`volume ${volumeName}: neither hostPath nor local, so it has no folder on this machine`);
    mkdirSync(path, { recursive: true });
    this.own(path);
    return path;
  }

  private async read(kind: typeof secrets | typeof configMaps, name: string, optional?: boolean) {
    const answer = await this.http.send({ method: 'GET', path: apiPath(kind, { namespace: this.namespace, name }) });
    if (answer.status === 404) {
      if (optional) return {};
      throw new VolumeNotReady(`${kind.kind} ${this.namespace}/${name} does not exist yet`);
    }
    if (answer.status >= 400) throw new Error(`reading ${kind.kind} ${this.namespace}/${name}: HTTP ${answer.status}`);
    const object = JSON.parse(answer.body) as { data?: Record<string, string> };
    const data = object.data ?? {};
    // Secret data is base64; a ConfigMap's is text.
    return kind === secrets
      ? Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64')]))
      : Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value)]));
  }

  private async project(folder: string, source: VolumeProjection): Promise<void> {
    if (source.serviceAccountToken) {
      const { path, audience, expirationSeconds } = source.serviceAccountToken;
      await this.writeToken(join(folder, path), { audience, expirationSeconds });
    } else if (source.configMap) {
      const data = await this.read(configMaps, source.configMap.name as string, source.configMap.optional);
      for (const item of source.configMap.items ?? Object.keys(data).map((key) => ({ key, path: key }))) {
        const value = data[item.key];
        if (value) this.write(join(folder, item.path), value, 0o444);
      }
    } else if (source.downwardAPI) {
      for (const item of source.downwardAPI.items ?? []) {
        if (item.fieldRef?.fieldPath !== 'metadata.namespace')
          throw new Error(`downwardAPI ${item.path}: only metadata.namespace is served here`);
        this.write(join(folder, item.path), Buffer.from(this.namespace), 0o444);
      }
    } else {
      throw new Error(`projected source ${Object.keys(source).join(', ')} is not served here`);
    }
  }

  /** Writes each key as a file, replacing what was there. */
  private writeKeys(folder: string, data: Record<string, Buffer>, mode: number): void {
    for (const [key, value] of Object.entries(data)) this.write(join(folder, key), value, mode);
  }

  /** A reader never sees half a file: write beside, then rename (a bind-mounted folder sees the new file). */
  private write(file: string, content: Buffer, mode: number): void {
    writeFileSync(`${file}.new`, content, { mode });
    this.own(`${file}.new`);
    renameSync(`${file}.new`, file);
  }

  /** Writes the pod's token and renews it before it expires, for as long as the pod runs here. */
  private async writeToken(file: string, source: { audience?: string; expirationSeconds?: number }): Promise<void> {
    const token = await requestPodToken(this.http, this.pod, source);
    this.write(file, Buffer.from(token.token), 0o400);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      this.writeToken(file, source).catch((error: unknown) => {
        this.log(`renewing the token of ${this.namespace}/${this.pod.metadata?.name}: ${String(error)}`);
        if (!this.closed) this.timers.add(setTimeout(() => void this.writeToken(file, source), 10_000));
      });
    }, renewalDelayMs(token));
    timer.unref();
    this.timers.add(timer);
  }
}

/**
 * The image's files in the volume: hard links to the files themselves (an image folder may hold symlinks, which
 * would point outside the house) when on one file system (no copy of 300 MB per start), else copies.
 */
function linkTree(from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const source = realpathSync(join(from, name));
    const target = join(to, name);
    if (statSync(source).isDirectory()) {
      mkdirSync(target, { recursive: true });
      linkTree(source, target);
      continue;
    }
    rmSync(target, { force: true });
    try {
      linkSync(source, target);
    } catch {
      copyFileSync(source, target);
    }
  }
}

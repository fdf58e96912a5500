import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parse } from 'yaml';
import type { HouseSettings } from '../../api/house-settings.ts';
import { apiPath } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { bridgeSockets, socketDir } from './bridge-sockets.ts';
import {
  containerCommand,
  containerEnv,
  controllingStatefulSet,
  exportedSecretName,
  exportedServer,
  type HousePod,
  isLoopbackAddress,
  refusal,
} from './house-pods.ts';
import { type HouseLaunch, type HouseMount, signalHouse, startHouseProcess } from './house-process.ts';
import {
  argocdNetworkNamespaceName,
  createNetworkNamespace,
  networkNamespaceName,
  removeNetworkNamespace,
} from './network-namespace.ts';
import { PodVolumes, VolumeNotReady } from './pod-volumes.ts';
import { LocalImageError, prepareLocalImage } from '../images/prepare-local-image.ts';
import { isRunning, processTree } from './process-tree.ts';
import { closeForward, forward } from './socket-bridge.ts';
import { HouseArgoCd, type HouseArgoCdState } from './house-argocd.ts';
import { NetnsForwarder } from './netns-forwarder.ts';

const statefulSets = { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true } as const;

/** Where vCluster reads its configuration (the chart mounts the `vc-config-<release>` Secret there). */
const configFile = '/var/lib/vcluster/config.yaml';

/** What `landlord dev status` and the tests see of one house. */
export interface HouseState {
  pod: string;
  uid: string;
  phase: 'Preparing' | 'Running' | 'Restarting' | 'Refused' | 'Stopped';
  /** The house's address on this machine (host:port), when it has a loopback one. */
  address?: string;
  networkNamespace: string;
  /** The house's first process (the namespace's parent): it and its descendants are the house. */
  pid?: number;
  restarts: number;
  /** When the current process started and when the house's API first answered through the bridge. */
  startedAt?: string;
  message?: string;
  /** The house's own Argo CD, run while the house holds one (only for a house reachable at its address). */
  argocd?: HouseArgoCdState;
}

/** What a supervisor needs from the runner. */
export interface SupervisorContext {
  http: KubeHttp;
  houses: HouseSettings;
  /** The host API server as the runner reaches it. */
  hostApi: { host: string; port: number };
  /** The identity provider a house's Argo CD may reach (its OIDC issuer's address), bridged into its namespace. */
  identityProvider?: { host: string; port: number };
  /** The Git forge (its clone URLs' address), the other service of this machine a house's Argo CD reaches. */
  gitForge?: { host: string; port: number };
  /** The folder of this pod's volumes and log. */
  podDir: string;
  /** The environment's local Git repositories (a house's Argo CD reads them). */
  repositories: string;
  log: (line: string) => void;
  /** Takes the address for this pod; answers the pod that holds it when another does. */
  claimAddress: (address: string, pod: string) => string | undefined;
  releaseAddress: (address: string, pod: string) => void;
  /** Records a Warning event on the pod, as a kubelet would. */
  warn: (pod: Pod, reason: string, note: string) => Promise<void>;
  changed: () => void;
  /** The pod as the cluster holds it now (its IP comes after it is scheduled). */
  latestPod: () => Pod | undefined;
}

const restartBackoffMs = (restarts: number) => Math.min(1000 * 2 ** Math.min(restarts, 6), 60_000);
/** A house that ran this long before it exited starts again at the shortest backoff, as a kubelet does. */
const backoffResetMs = 10 * 60_000;

/**
 * Runs one house pod's vCluster container as a kubelet would: its volumes, its network namespace and loopback
 * bridge, its process, restarted with a backoff when it dies (its volumes kept), everything removed when stopped.
 */
export class HouseSupervisor {
  readonly state: HouseState;
  private readonly context: SupervisorContext;
  private readonly house: HousePod;
  private readonly stopping = new AbortController();
  private readonly servers: Server[] = [];
  private volumes: PodVolumes | undefined;
  private forwarder: NetnsForwarder | undefined;
  private child: ChildProcess | undefined;
  private running: Promise<void> | undefined;
  private argocd: HouseArgoCd | undefined;
  /** Why the house is not reachable at its address, if it is not: said for as long as it runs. */
  private bridgeNote: string | undefined;

  constructor(house: HousePod, context: SupervisorContext) {
    this.house = house;
    this.context = context;
    const uid = house.pod.metadata?.uid as string;
    this.state = {
      pod: `${house.pod.metadata?.namespace}/${house.pod.metadata?.name}`,
      uid,
      phase: 'Preparing',
      networkNamespace: networkNamespaceName(uid),
      restarts: 0,
    };
  }

  /** Starts supervising in the background. */
  start(): void {
    this.running = this.run().catch((error: unknown) => {
      if (this.stopping.signal.aborted) return;
      this.update({ phase: 'Refused', message: String(error instanceof Error ? error.message : error) });
      this.context.log(`${this.state.pod}: ${this.state.message}`);
      void this.context.warn(this.house.pod, 'HouseFailed', this.state.message ?? '');
    });
  }

  /** Stops the house and removes its namespace, sockets and per-pod folders (not its persistent volume). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.argocd?.stop();
    await this.killHouse();
    await this.running;
    this.forwarder?.stop();
    for (const server of this.servers) await closeForward(server);
    this.volumes?.close();
    if (this.state.address) this.context.releaseAddress(this.state.address, this.state.pod);
    removeNetworkNamespace(this.state.networkNamespace);
    rmSync(socketDir(this.state.uid), { recursive: true, force: true });
    rmSync(this.context.podDir, { recursive: true, force: true });
    this.update({ phase: 'Stopped', pid: undefined });
  }

  private update(change: Partial<HouseState>): void {
    Object.assign(this.state, change);
    this.context.changed();
  }

  private async run(): Promise<void> {
    const launch = await this.prepare();
    if (!launch) return;
    const logFd = openSync(join(this.context.podDir, 'house.log'), 'a');
    // Restarts in a row, each ending before backoffResetMs: what the next wait grows with.
    let quickExits = 0;
    try {
      while (!this.stopping.signal.aborted) {
        const started = Date.now();
        const exited = this.spawnHouse(launch, logFd);
        const code = await exited;
        if (this.stopping.signal.aborted) return;
        quickExits = Date.now() - started >= backoffResetMs ? 0 : quickExits + 1;
        this.update({ phase: 'Restarting', pid: undefined, message: `exited (${code}); restarting` });
        this.context.log(`${this.state.pod}: vCluster exited (${code}), restart ${this.state.restarts + 1}`);
        await sleep(restartBackoffMs(Math.max(0, quickExits - 1)), undefined, { signal: this.stopping.signal }).catch(
          () => undefined,
        );
        this.state.restarts++;
      }
    } finally {
      closeSync(logFd);
    }
  }

  private spawnHouse(launch: HouseLaunch, logFd: number): Promise<string> {
    const child = startHouseProcess(launch, logFd);
    this.child = child;
    this.update({ phase: 'Running', pid: child.pid, startedAt: new Date().toISOString(), message: this.bridgeNote });
    return new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve(signal ?? String(code)));
      child.on('error', (error) => resolve(error.message));
    });
  }

  /** SIGTERM to the house's group, SIGKILL after the pod's grace period; then every process in it is gone. */
  private async killHouse(): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const tree = processTree(child.pid);
    signalHouse(child, 'SIGTERM');
    const graceSeconds = this.house.pod.spec?.terminationGracePeriodSeconds ?? 30;
    const deadline = Date.now() + graceSeconds * 1000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await sleep(100);
    signalHouse(child, 'SIGKILL');
    // The PID namespace's processes die with its first one; wait until the kernel has reaped them.
    while (tree.some(isRunning)) await sleep(50);
  }

  /** Everything before the first start; undefined when stopped meanwhile. */
  private async prepare(): Promise<HouseLaunch | undefined> {
    const { container, binary } = this.house;
    const refused = refusal(this.house.pod, container);
    if (refused) throw new Error(refused);
    await this.checkController();
    await this.waitForImage();
    mkdirSync(this.context.podDir, { recursive: true });
    const user = containerUser(this.house.pod, container);
    const pod = await this.waitForPodAndVolumes(user);
    if (!pod) return undefined;
    const mounts = this.mounts();
    const config = readConfig(mounts, controllingStatefulSet(this.house.pod)?.name ?? '');
    createNetworkNamespace(this.state.networkNamespace, pod.status?.podIP);
    const sockets = socketDir(this.state.uid);
    mkdirSync(join(sockets, 'image'), { recursive: true, mode: 0o711 });
    await this.bridge(sockets, config.server, config.proxyPort);
    if (this.state.address && config.server) this.runArgoCd(config.server, config.credentials);
    const env = {
      HOME: process.env.HOME ?? '/root',
      ...containerEnv(pod, container),
      // The host API server as reachable inside the house: the forwarder's end of the bridge.
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(this.context.hostApi.port),
      KUBERNETES_SERVICE_PORT_HTTPS: String(this.context.hostApi.port),
    };
    return {
      networkNamespace: this.state.networkNamespace,
      imageDir: dirOf(binary),
      imageMountPoint: join(sockets, 'image'),
      command: containerCommand(container, join(sockets, 'image', basename(binary))),
      env,
      mounts,
      workingDir: container.workingDir ?? '/',
      user,
    };
  }

  /** Watches the house for its own Argo CD and runs it while the house holds it, on the house's address. */
  private runArgoCd(server: { host: string; port: number }, credentials: string): void {
    const argocd = new HouseArgoCd({
      host: this.context.http,
      credentials: { namespace: this.house.pod.metadata?.namespace as string, name: credentials },
      address: server.host,
      apiPort: server.port,
      dir: join(this.context.podDir, 'argocd'),
      repositories: this.context.repositories,
      stageDir: join(socketDir(this.state.uid), 'argocd'),
      sockets: socketDir(this.state.uid),
      networkNamespace: argocdNetworkNamespaceName(this.state.uid),
      identityProvider: this.context.identityProvider,
      gitForge: this.context.gitForge,
      log: this.context.log,
      changed: () => this.context.changed(),
    });
    this.argocd = argocd;
    this.state.argocd = argocd.state;
    argocd.start();
  }

  /** Runs only a StatefulSet's pod, that StatefulSet being there (its UID): never a pod a house synced. */
  private async checkController(): Promise<void> {
    const pod = this.house.pod;
    const owner = controllingStatefulSet(pod);
    const refusedNote = `pod ${this.state.pod} is not controlled by a StatefulSet of its namespace; the runner runs only a house's control plane`;
    if (!owner) throw new Error(refusedNote);
    const found = await this.context.http.send({
      method: 'GET',
      path: apiPath(statefulSets, { namespace: pod.metadata?.namespace, name: owner.name }),
    });
    const uid =
      found.status === 200 ? (JSON.parse(found.body) as { metadata?: { uid?: string } }).metadata?.uid : undefined;
    if (uid !== owner.uid) throw new Error(refusedNote);
  }

  /** The vCluster image built here: a kubelet pulls it; the runner waits for `landlord dev tools` to build it. */
  private async waitForImage(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        prepareLocalImage({ kind: 'vcluster', binary: this.house.binary });
        return;
      } catch (error) {
        if (!(error instanceof LocalImageError)) throw error;
        this.update({ phase: 'Preparing', message: `image ${this.house.container.image}: ${error.message}` });
        await sleep(5000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  /**
   * A kubelet waits for the pod's network (KWOK gives it its IP) and its volumes before starting a container:
   * the pod as it is then, or undefined when stopped meanwhile.
   */
  private async waitForPodAndVolumes(user: { uid: number; gid: number } | undefined): Promise<Pod | undefined> {
    const volumes = new PodVolumes({ ...this.context, pod: this.house.pod, owner: user });
    this.volumes = volumes;
    while (!this.stopping.signal.aborted) {
      try {
        const latest = this.context.latestPod();
        const pod = latest?.metadata?.uid === this.state.uid ? latest : this.house.pod;
        if (!pod.status?.podIP) throw new VolumeNotReady('the pod has no IP yet');
        await volumes.prepare();
        return pod;
      } catch (error) {
        if (!(error instanceof VolumeNotReady)) throw error;
        this.update({ phase: 'Preparing', message: error.message });
        await sleep(2000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
    return undefined;
  }

  /** The container's volume mounts, as folders of this machine. */
  private mounts(): HouseMount[] {
    const folders = this.volumes?.folders ?? new Map<string, string>();
    return (this.house.container.volumeMounts ?? []).map((mount) => {
      if (mount.subPath) throw new Error(`volumeMount ${mount.name}: subPath is not served here`);
      const source = folders.get(mount.name);
      if (!source) throw new Error(`volumeMount ${mount.name}: no volume of that name in the pod`);
      return { source, target: mount.mountPath, readOnly: mount.readOnly ?? false };
    });
  }

  /**
   * The loopback bridge: the forwarder inside the house's namespace, the host API server's socket, and — when
   * the house exports a loopback address no other house holds — a listener there for people, Argo CD and the
   * operator.
   */
  private async bridge(dir: string, server: { host: string; port: number } | undefined, houseApiPort: number) {
    const sockets = bridgeSockets(dir);
    this.servers.push(await forward({ path: sockets.hostApi }, this.context.hostApi));
    // Inside: the host API server at 127.0.0.1:<its port>, and the house socket to the virtual API server.
    this.forwarder = new NetnsForwarder(
      this.state.networkNamespace,
      dir,
      [
        { listen: { host: '127.0.0.1', port: this.context.hostApi.port }, target: { path: sockets.hostApi } },
        { listen: { path: sockets.house }, target: { host: '127.0.0.1', port: houseApiPort } },
      ],
      this.context.log,
    );
    await this.forwarder.start();
    if (!server || !isLoopbackAddress(server.host)) {
      this.bridgeNote = 'exportKubeConfig.server is not a loopback address: the house is not reachable here';
      this.update({ message: this.bridgeNote });
      return;
    }
    const address = `${server.host}:${server.port}`;
    const holder = this.context.claimAddress(address, this.state.pod);
    if (holder) {
      const note = `address ${address} (exportKubeConfig.server) is already served for ${holder}; this house is not reachable there`;
      this.bridgeNote = note;
      this.update({ message: note });
      this.context.log(`${this.state.pod}: ${note}`);
      await this.context.warn(this.house.pod, 'HouseAddressInUse', note);
      return;
    }
    this.state.address = address;
    this.servers.push(await forward(server, { path: sockets.house }));
  }
}

/** The user the container runs as (container securityContext over the pod's), with fsGroup as its group. */
function containerUser(pod: Pod, container: HousePod['container']): { uid: number; gid: number } | undefined {
  const own = container.securityContext ?? {};
  const shared = pod.spec?.securityContext ?? {};
  const uid = own.runAsUser ?? shared.runAsUser;
  if (uid === undefined || uid === 0) return undefined;
  return { uid, gid: shared.fsGroup ?? own.runAsGroup ?? shared.runAsGroup ?? uid };
}

/** The house's configuration as vCluster reads it: its exported server and its proxy port. */
function readConfig(
  mounts: HouseMount[],
  release: string,
): {
  server: { host: string; port: number } | undefined;
  proxyPort: number;
  credentials: string;
} {
  const folder = mounts.find((mount) => mount.target === dirOf(configFile))?.source;
  if (!folder) throw new Error(`the vCluster container mounts no configuration at ${dirOf(configFile)}`);
  const config = parse(readFileSync(join(folder, basename(configFile)), 'utf8')) as {
    controlPlane?: { proxy?: { port?: number } };
  };
  return {
    server: exportedServer(config),
    proxyPort: config.controlPlane?.proxy?.port ?? 8443,
    credentials: exportedSecretName(config, release),
  };
}

const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

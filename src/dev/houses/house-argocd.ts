import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Server } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiPath } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { Informer } from '../../kube/informer.ts';
import { houseHttp } from '../../operator/house/house-http.ts';
import { argoCdComponents, redisConfig } from '../argocd/components.ts';
import { argoCdBinaries, prepareArgoCdFolders } from '../argocd/lifecycle.ts';
import { writeTokenKubeconfig } from '../cluster/service-account-kubeconfig.ts';
import { renewEveryMs } from '../cluster/token-renewer.ts';
import { tailOfLog } from '../processes/background-process.ts';
import {
  createRedisPassword,
  deployments,
  readHouseArgoCdInputs,
  readHouseArgoCdTemplates,
  secrets,
} from './house-argocd-inputs.ts';
import { type Confinement, houseUid } from './confinement.ts';
import {
  type ArgoCdBinaries,
  houseArgoCdLayout,
  houseArgoCdPorts,
  houseArgoCdServerPort,
  houseGitConfig,
} from './house-argocd-layout.ts';
import { closeForward, forward } from './socket-bridge.ts';
import { TetheredProcess, type TetheredState } from './tethered-process.ts';
import { bridgeSockets } from './bridge-sockets.ts';
import { type Bridge, NetnsForwarder } from './netns-forwarder.ts';
import { createNetworkNamespace, removeNetworkNamespace, waitForPortIn } from './network-namespace.ts';

/** What `landlord dev status` and the tests see of a house's Argo CD. */
export interface HouseArgoCdState {
  phase: 'Absent' | 'Starting' | 'Running' | 'Failed';
  /** Where its API server answers, once running. */
  url?: string;
  /** When its Deployment argocd-server was first seen, and when its API server first answered after that. */
  seenAt?: string;
  answeredAt?: string;
  processes: TetheredState[];
  message?: string;
}

/** Where the runner finds a house and puts its Argo CD. */
export interface HouseArgoCdContext {
  /** The host cluster, where the house's admin credentials are (Secret `vc-<release>` in the house namespace). */
  host: KubeHttp;
  credentials: { namespace: string; name: string };
  /** The house's loopback address and its API server's port there. */
  address: string;
  apiPort: number;
  dir: string;
  /** The local Git repositories (file:// URLs) its repo-server reads. */
  repositories: string;
  /** An empty folder of root's, outside root's home, where a confined process's folders are staged. */
  stageDir: string;
  /** The house's sockets: its API server's (`house`), and where this Argo CD's bridges put theirs. */
  sockets: string;
  /** The network namespace its processes run in, and the identity provider it may reach from there (its OIDC issuer). */
  networkNamespace: string;
  identityProvider?: { host: string; port: number };
  /** The Git forge it reads the team's repository from (at the address of its clone URLs). */
  gitForge?: { host: string; port: number };
  log: (line: string) => void;
  changed: () => void;
}

/** The namespace upstream's manifests install Argo CD in, and the Deployment whose presence means "run it". */
const namespace = 'argocd';
const serverDeployment = 'argocd-server';
/** The accounts its processes act as (upstream's), the cache's init container's among them. */
const accounts = ['argocd-server', 'argocd-application-controller', 'argocd-repo-server', 'argocd-redis'] as const;

/**
 * Runs a house's own Argo CD while the house holds Deployment argocd/argocd-server: the host Argo CD's processes,
 * configured by the house's ConfigMaps and Secrets only, each acting as its own ServiceAccount of the house with
 * a TokenRequest token renewed as a kubelet would, listening on the house's loopback address.
 */
export class HouseArgoCd {
  readonly state: HouseArgoCdState = { phase: 'Absent', processes: [] };
  private readonly context: HouseArgoCdContext;
  private readonly stopping = new AbortController();
  private house: KubeHttp | undefined;
  private informer: Informer<{ metadata?: { name?: string; namespace?: string } }> | undefined;
  private processes: TetheredProcess[] = [];
  private renewal: NodeJS.Timeout | undefined;
  /** The runner's listeners: the house's address (argocd-cm's url port) to its API server, and to the identity provider. */
  private listeners: Server[] = [];
  private forwarder: NetnsForwarder | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** The pod templates the running processes were started from. */
  private startedFrom: string | undefined;

  constructor(context: HouseArgoCdContext) {
    this.context = context;
  }

  /** Starts watching the house for its Argo CD (in the background: the house may not answer yet). */
  start(): void {
    this.enqueue(() => this.connect());
  }

  /** Stops its Argo CD and the watch. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.informer?.stop();
    await this.queue;
    await this.stopProcesses();
    this.house?.close();
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.stopping.signal.aborted ? undefined : work()))
      .catch((error: unknown) => {
        const message = String(error instanceof Error ? error.message : error);
        this.update({ phase: 'Failed', message });
        this.context.log(`${this.context.address}: Argo CD: ${message}`);
      });
  }

  private update(change: Partial<HouseArgoCdState>): void {
    Object.assign(this.state, change);
    this.context.changed();
  }

  /** The house's admin client, once vCluster has written its credentials; then the watch. */
  private async connect(): Promise<void> {
    const { host, credentials } = this.context;
    while (!this.stopping.signal.aborted) {
      // Not there yet (vCluster writes it once up), or the host not answering: looked for again.
      const secret = await host
        .send({ method: 'GET', path: apiPath(secrets, credentials) })
        .catch(() => ({ status: 0, body: '' }));
      const data =
        secret.status === 200 ? (JSON.parse(secret.body) as { data?: Record<string, string> }).data : undefined;
      const [ca, cert, key] = [data?.['certificate-authority'], data?.['client-certificate'], data?.['client-key']];
      if (ca && cert && key) {
        this.house = houseHttp(this.server(), { certificateAuthority: ca, clientCertificate: cert, clientKey: key });
        this.certificateAuthority = ca;
        break;
      }
      await sleep(2000, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    }
    if (!this.house) return;
    this.informer = new Informer(this.house, {
      path: apiPath(deployments, { namespace }),
      resyncMs: 15_000,
      onError: () => undefined,
    });
    // Every change (and every resync: a failed start is tried again) looks again.
    this.informer.on(() => this.enqueue(() => this.reconcile()));
    void this.informer.start();
  }

  private certificateAuthority = '';

  private server(): string {
    return `https://${this.context.address}:${this.context.apiPort}`;
  }

  private async reconcile(): Promise<void> {
    const wanted = this.informer?.get(`${namespace}/${serverDeployment}`) !== undefined;
    const running = this.processes.length > 0;
    if (!wanted) {
      if (running)
        this.context.log(
          `${this.context.address}: Deployment ${namespace}/${serverDeployment} is gone: stopping its Argo CD`,
        );
      await this.stopProcesses();
      this.update({ phase: 'Absent', url: undefined, seenAt: undefined, answeredAt: undefined, message: undefined });
      return;
    }
    if (running) {
      // A changed pod template rolls the pods on a real cluster: the processes are replaced the same way.
      const templates = await readHouseArgoCdTemplates(this.house as KubeHttp, namespace);
      if (templates === this.startedFrom) return;
      this.context.log(
        `${this.context.address}: its Argo CD's pod templates changed: restarting it, as a rollout would`,
      );
      await this.stopProcesses();
    }
    this.state.seenAt ??= new Date().toISOString();
    try {
      await this.startProcesses();
    } catch (error) {
      // Tried again at the next resync, from nothing.
      await this.stopProcesses();
      throw error;
    }
  }

  private async startProcesses(): Promise<void> {
    const house = this.house as KubeHttp;
    this.update({ phase: 'Starting', message: undefined });
    const binaries = argoCdBinaries();
    await this.writeIdentities();
    let inputs = await readHouseArgoCdInputs(house, namespace);
    if (!inputs.redisPassword) {
      await createRedisPassword(binaries.argocd, this.kubeconfig('argocd-redis'), namespace);
      inputs = await readHouseArgoCdInputs(house, namespace);
    }
    this.startedFrom = inputs.templates;
    if (inputs.missing.length > 0 || !inputs.redisPassword) {
      this.update({ phase: 'Starting', message: `waiting for ${inputs.missing.join(', ') || 'the cache password'}` });
      return;
    }
    prepareArgoCdFolders(this.context.dir);
    mkdirSync(join(this.context.dir, 'home'), { recursive: true });
    writeFileSync(houseGitConfig(this.context.dir), '[safe]\n\tdirectory = *\n');
    // Nothing answers DNS in its network namespace: asked on its own loopback, a lookup is refused at once.
    writeFileSync(join(this.context.dir, 'resolv.conf'), 'nameserver 127.0.0.1\n');
    const layout = houseArgoCdLayout(
      {
        address: this.context.address,
        dir: this.context.dir,
        namespace,
        redisPassword: inputs.redisPassword,
        url: inputs.url,
        env: inputs.env,
      },
      binaries,
    );
    writeFileSync(layout.redisConfigFile, redisConfig(layout), { mode: 0o600 });
    // Its folder is the house user's alone; the tokens in it are written as that user's.
    execFileSync('chown', ['-R', `${this.uid}:${this.uid}`, this.context.dir]);
    chmodSync(this.context.dir, 0o700);
    await this.bridgeNetwork();
    const confinement = this.confinement(binaries);
    // A failed renewal is tried again at the next round, well before the token expires.
    const renew = () =>
      this.writeIdentities().catch((error: unknown) =>
        this.context.log(`${this.context.address}: renewing Argo CD's tokens: ${String(error)}`),
      );
    this.renewal ??= setInterval(() => this.enqueue(renew), renewEveryMs);
    for (const [index, spec] of argoCdComponents(layout).entries()) {
      const process = new TetheredProcess(spec, this.context.dir, () => this.context.changed(), confinement);
      this.processes.push(process);
      this.state.processes = this.processes.map((each) => each.state);
      process.start();
      const port = readinessPorts[index] as number;
      const gone = () => process.exited() || this.stopping.signal.aborted;
      if (!(await waitForPortIn(this.context.networkNamespace, port, 60_000, gone)))
        throw new Error(
          `${spec.name} did not listen on port ${port}; its last output:\n${tailOfLog(this.context.dir, spec.name)}`,
        );
    }
    const port = houseArgoCdServerPort(inputs.url, this.context.address);
    this.listeners.push(await forward({ host: this.context.address, port }, { path: this.socket('server') }));
    const url = `http://${this.context.address}:${port}`;
    this.update({ phase: 'Running', url, answeredAt: new Date().toISOString() });
    this.context.log(`${this.context.address}: its Argo CD answers at ${url}`);
  }

  /** The house's own user on this machine: its Argo CD never runs as root. */
  private get uid(): number {
    return houseUid(this.context.address);
  }

  /** Root's home and /tmp hidden but for the binaries, this house's Argo CD folder and the Git repositories. */
  private confinement(binaries: ArgoCdBinaries): Confinement {
    const home = homedir();
    const shown = [
      ...new Set([binaries.argocd, binaries.helm, binaries.kustomize].map((binary) => dirname(binary))),
      this.context.dir,
      this.context.repositories,
    ];
    return {
      uid: this.uid,
      hidden: [home, '/tmp'],
      shown: shown.filter((folder) => folder.startsWith(`${home}/`) || folder.startsWith('/tmp/')),
      stageDir: this.context.stageDir,
      home: join(this.context.dir, 'home'),
      networkNamespace: this.context.networkNamespace,
      resolvConf: join(this.context.dir, 'resolv.conf'),
    };
  }

  /** A socket of this Argo CD's bridges, in the house's socket folder (root's alone). */
  private socket(name: 'server' | 'identity' | 'forge'): string {
    return join(this.context.sockets, `argocd-${name}.sock`);
  }

  /**
   * Its network namespace, and all that crosses its edge: the house's API server (at its address, as the house's
   * kubeconfig names it), the identity provider (at its own address, the issuer's), the Git forge (at the address of
   * its clone URLs: the team's repository over HTTP, which the reader's token gates), and its API server's port
   * out to the runner's gateway. Nothing else of this machine is reachable from there.
   */
  private async bridgeNetwork(): Promise<void> {
    const { address, apiPort, identityProvider, gitForge, networkNamespace, sockets } = this.context;
    createNetworkNamespace(networkNamespace, undefined);
    const bridges: Bridge[] = [
      { listen: { host: address, port: apiPort }, target: { path: bridgeSockets(sockets).house } },
      { listen: { path: this.socket('server') }, target: { host: '127.0.0.1', port: houseArgoCdPorts.argocdServer } },
    ];
    if (identityProvider) {
      this.listeners.push(await forward({ path: this.socket('identity') }, identityProvider));
      bridges.push({ listen: identityProvider, target: { path: this.socket('identity') } });
    }
    if (gitForge) {
      this.listeners.push(await forward({ path: this.socket('forge') }, gitForge));
      bridges.push({ listen: gitForge, target: { path: this.socket('forge') } });
    }
    this.forwarder = new NetnsForwarder(networkNamespace, networkNamespace, bridges, this.context.log);
    await this.forwarder.start();
  }

  private kubeconfig(account: (typeof accounts)[number]): string {
    return join(this.context.dir, 'identity', `${account}.kubeconfig`);
  }

  /** A fresh token for each account (TokenRequest inside the house), as a kubelet projects one into each pod. */
  private async writeIdentities(): Promise<void> {
    const cluster = {
      name: 'house',
      cluster: { server: this.server(), 'certificate-authority-data': this.certificateAuthority },
    };
    for (const account of accounts)
      await writeTokenKubeconfig(
        this.house as KubeHttp,
        cluster,
        { namespace, name: account },
        this.kubeconfig(account),
        this.uid,
      );
  }

  private async stopProcesses(): Promise<void> {
    clearInterval(this.renewal);
    this.renewal = undefined;
    for (const listener of this.listeners) await closeForward(listener);
    this.listeners = [];
    for (const process of [...this.processes].reverse()) await process.stop();
    this.processes = [];
    this.state.processes = [];
    this.forwarder?.stop();
    this.forwarder = undefined;
    removeNetworkNamespace(this.context.networkNamespace);
    rmSync(this.context.dir, { recursive: true, force: true });
  }
}

/** The port each component listens on once ready, in the order argoCdComponents starts them. */
const readinessPorts = [
  houseArgoCdPorts.redis,
  houseArgoCdPorts.argocdRepoServer,
  houseArgoCdPorts.argocdControllerMetrics,
  houseArgoCdPorts.argocdServer,
];

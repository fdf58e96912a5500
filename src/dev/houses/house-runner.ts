import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Namespace, Pod } from 'kubernetes-types/core/v1.js';
import type { HouseSettings } from '../../api/house-settings.ts';
import { apiPath } from '../../kube/api-path.ts';
import type { KubeHttp } from '../../kube/http.ts';
import { Informer } from '../../kube/informer.ts';
import { resources } from '../../kube/resources.ts';
import { houseNamespaceLabel, type HousePod, housePod, podKey, shouldRun } from './house-pods.ts';
import { type HouseState, HouseSupervisor } from './house-supervisor.ts';

/** What the runner writes for `landlord dev status` and the tests: every house it plays kubelet for. */
export interface RunnerStatus {
  pid: number;
  updatedAt: string;
  houses: HouseState[];
}

/** What the runner is told: the platform's house settings, the host API server, its folder, its log. */
export interface RunnerOptions {
  houses: HouseSettings;
  hostApi: { host: string; port: number };
  /** The identity provider a house's Argo CD may reach (the environment's Dex, its issuer's address). */
  identityProvider?: { host: string; port: number };
  /** The Git forge, which each house's Argo CD reads the team's repository from. */
  gitForge?: { host: string; port: number };
  dir: string;
  log: (line: string) => void;
}

/** Where the runner writes its status, in its folder. */
export const runnerStatusFile = (dir: string) => join(dir, 'status.json');

/**
 * The local environment's kubelet for houses: watches the host cluster's pods and runs the vCluster container of
 * each one scheduled (KWOK runs no containers), stopping it when the pod goes or is replaced by a new one.
 */
export class HouseRunner {
  private readonly informer: Informer<Pod>;
  /** The house namespaces (labelled by the operator): the only ones whose pods the runner runs. */
  private readonly namespaces: Informer<Namespace>;
  private readonly supervisors = new Map<string, HouseSupervisor>();
  private readonly addresses = new Map<string, string>();
  /** One reconcile at a time per pod: a stop finishes before its replacement starts. */
  private readonly queues = new Map<string, Promise<void>>();

  private readonly http: KubeHttp;
  private readonly options: RunnerOptions;

  constructor(http: KubeHttp, options: RunnerOptions) {
    this.http = http;
    this.options = options;
    this.informer = new Informer<Pod>(http, {
      path: apiPath(resources.pod),
      resyncMs: 30_000,
      onError: (error) => options.log(`watching pods: ${String(error)}`),
    });
    this.informer.on((event) => {
      const pod = event.object;
      this.enqueue(podKey(pod), event.type === 'delete' ? undefined : pod);
    });
    this.namespaces = new Informer<Namespace>(http, {
      path: apiPath(resources.namespace),
      labelSelector: `${houseNamespaceLabel}=true`,
      onError: (error) => options.log(`watching namespaces: ${String(error)}`),
    });
    // A namespace labelled or unlabelled later: its pods are looked at again.
    this.namespaces.on((event) => {
      for (const pod of this.informer.list())
        if (pod.metadata?.namespace === event.object.metadata?.name) this.enqueue(podKey(pod), pod);
    });
  }

  /** Starts watching; resolves once the first list is in. */
  async start(): Promise<void> {
    this.writeStatus();
    await this.namespaces.start();
    await this.informer.start();
  }

  /** Stops every house and the watch. */
  async stop(): Promise<void> {
    await this.informer.stop();
    await this.namespaces.stop();
    await Promise.all([...this.queues.values()]);
    await Promise.all([...this.supervisors.values()].map((supervisor) => supervisor.stop()));
    this.supervisors.clear();
    this.writeStatus();
  }

  private enqueue(key: string, pod: Pod | undefined): void {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.reconcile(key, pod))
      .catch((error: unknown) => this.options.log(`${key}: ${String(error)}`));
    this.queues.set(key, next);
    void next.then(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    });
  }

  private async reconcile(key: string, pod: Pod | undefined): Promise<void> {
    const house = this.wanted(pod);
    const current = this.supervisors.get(key);
    if (current && current.state.uid === house?.pod.metadata?.uid) return;
    if (current) {
      this.options.log(`${key}: stopping the house (${house ? 'pod replaced' : 'pod gone'})`);
      this.supervisors.delete(key);
      await current.stop();
      this.writeStatus();
    }
    if (!house) return;
    this.options.log(`${key}: starting the house (pod ${house.pod.metadata?.uid})`);
    const supervisor = new HouseSupervisor(house, {
      http: this.http,
      houses: this.options.houses,
      hostApi: this.options.hostApi,
      identityProvider: this.options.identityProvider,
      gitForge: this.options.gitForge,
      podDir: join(this.options.dir, 'pods', house.pod.metadata?.uid as string),
      // The environment's folder holds the runner's (houses/) and the repositories' (git/).
      repositories: join(this.options.dir, '..', 'git'),
      log: this.options.log,
      claimAddress: (address, holder) => this.claim(address, holder),
      releaseAddress: (address, holder) => {
        if (this.addresses.get(address) === holder) this.addresses.delete(address);
      },
      warn: (target, reason, note) => this.warn(target, reason, note),
      changed: () => this.writeStatus(),
      latestPod: () => this.informer.get(key),
    });
    this.supervisors.set(key, supervisor);
    supervisor.start();
  }

  /** The house pod to run for this key now, if any: a pod of a house namespace, scheduled, of the vCluster image. */
  private wanted(pod: Pod | undefined): HousePod | undefined {
    if (!pod || !shouldRun(pod)) return undefined;
    if (!this.namespaces.get(pod.metadata?.namespace ?? '')) return undefined;
    return housePod(pod, this.options.houses);
  }

  /** Takes the address for the pod, or names the pod that holds it. */
  private claim(address: string, holder: string): string | undefined {
    const current = this.addresses.get(address);
    if (current && current !== holder) return current;
    this.addresses.set(address, holder);
    return undefined;
  }

  /** A Warning event on the pod, for `kubectl describe pod`; best effort. */
  private async warn(pod: Pod, reason: string, note: string): Promise<void> {
    const now = new Date();
    const namespace = pod.metadata?.namespace as string;
    try {
      await this.http.request({
        method: 'POST',
        path: apiPath(resources.event, { namespace }),
        body: {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          metadata: { name: `${pod.metadata?.name}.${(now.getTime() * 1000).toString(16)}`, namespace },
          eventTime: now.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z'),
          reportingController: 'landlord.dev/house-runner',
          reportingInstance: 'landlord-house-runner',
          action: reason,
          reason,
          note: note.slice(0, 1024),
          type: 'Warning',
          regarding: { apiVersion: 'v1', kind: 'Pod', namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
        },
      });
    } catch (error) {
      this.options.log(`recording ${reason} on ${namespace}/${pod.metadata?.name}: ${String(error)}`);
    }
  }

  /** The status file, replaced whole so a reader never sees half of it. */
  private writeStatus(): void {
    const status: RunnerStatus = {
      pid: process.pid,
      updatedAt: new Date().toISOString(),
      houses: [...this.supervisors.values()].map((supervisor) => supervisor.state),
    };
    const file = runnerStatusFile(this.options.dir);
    writeFileSync(`${file}.new`, JSON.stringify(status, null, 2));
    renameSync(`${file}.new`, file);
  }
}

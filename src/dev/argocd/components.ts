import { dirname, join } from 'node:path';
import type { ProcessSpec } from '../processes/background-process.ts';

/** Where the local Argo CD's pieces are and listen. */
export interface ArgoCdLayout {
  /** The multicall argocd binary. */
  argocd: string;
  redisServer: string;
  /** helm and kustomize, put first on the repo-server's PATH. */
  helm: string;
  kustomize: string;
  /** Each process acts as its own ServiceAccount, through its own kubeconfig (argocd/identity.ts). */
  kubeconfigs: Record<ArgoCdProcess, string>;
  namespace: string;
  /** The loopback address every listener binds and every process dials: 127.0.0.1, or a house's own address. */
  address: string;
  /**
   * Where the API server listens when not at `address`: its HTTP gateway dials its own gRPC at localhost:<port>
   * (server/server.go), so a house's listens on 127.0.0.1 and the runner forwards the house's address to it.
   */
  serverAddress?: string;
  /**
   * The settings the host Argo CD is given on its command line. A house's Argo CD has none: its settings come from
   * its own argocd-cmd-params-cm, through `env` as its pods would get them.
   */
  commandLine?: { insecure: boolean; applicationNamespaces: string; quickResync: boolean };
  /** Each process's environment as its workload in the cluster declares it (a house's); ours wins over it. */
  env?: Partial<Record<ArgoCdProcess, Record<string, string>>>;
  /** The environment's folder: config files, data, logs. */
  dir: string;
  /** The repo-server's askpass socket when upstream's fixed path is shared (a house's processes each have their own /tmp). */
  askPassSocket?: string;
  /** Written by the environment (mode 0600) so no password appears on a command line. */
  redisConfigFile: string;
  redisPassword: string;
  ports: {
    redis: number;
    argocdRepoServer: number;
    argocdRepoServerMetrics: number;
    argocdServer: number;
    argocdServerMetrics: number;
    argocdControllerMetrics: number;
  };
}

/** The Argo CD processes (redis aside), by their binary name. */
export type ArgoCdProcess = 'argocd-repo-server' | 'argocd-application-controller' | 'argocd-server';

/** What a cache password may hold: it goes into redis.conf, where a space or a line break would add settings. */
const safePassword = /^[A-Za-z0-9._~+/=-]+$/;

/** redis.conf for Argo CD's cache: loopback only, a password, nothing persisted. */
export function redisConfig(layout: ArgoCdLayout): string {
  if (!safePassword.test(layout.redisPassword))
    throw new Error(
      `the cache's password (${layout.redisPassword.length} characters) may hold only letters, digits and -._~+/=: refused`,
    );
  return [
    `bind ${layout.address}`,
    `port ${layout.ports.redis}`,
    `requirepass ${layout.redisPassword}`,
    'save ""',
    'appendonly no',
    `dir ${join(layout.dir, 'redis')}`,
    '',
  ].join('\n');
}

/** The processes of the local Argo CD, in the order they start: cache, repo-server, controller, API server. */
export function argoCdComponents(layout: ArgoCdLayout): ProcessSpec[] {
  const { ports, address, commandLine } = layout;
  const redis = `${address}:${ports.redis}`;
  const repoServer = `${address}:${ports.argocdRepoServer}`;
  const common = ['--loglevel', 'info', '--redis', redis];
  const inNamespace = ['--namespace', layout.namespace];
  const namespaces = commandLine ? ['--application-namespaces', commandLine.applicationNamespaces] : [];
  const env = (binaryName: ArgoCdProcess): Record<string, string> => ({
    ...layout.env?.[binaryName],
    ARGOCD_BINARY_NAME: binaryName,
    // The components run outside the cluster: the in-cluster destination is the kubeconfig's cluster.
    ARGOCD_FAKE_IN_CLUSTER: 'true',
    KUBECONFIG: layout.kubeconfigs[binaryName],
    REDIS_PASSWORD: layout.redisPassword,
    ARGOCD_TLS_DATA_PATH: join(layout.dir, 'tls'),
    ARGOCD_SSH_DATA_PATH: join(layout.dir, 'ssh'),
    ARGOCD_GPG_ENABLED: 'false',
    ARGOCD_GNUPGHOME: join(layout.dir, 'gpg'),
    ARGOCD_PLUGINSOCKFILEPATH: join(layout.dir, 'plugins'),
    TMPDIR: join(layout.dir, 'tmp'),
  });
  const askPass: Record<string, string> = layout.askPassSocket ? { ARGOCD_ASK_PASS_SOCK: layout.askPassSocket } : {};
  return [
    { name: 'redis', command: layout.redisServer, args: [layout.redisConfigFile] },
    {
      name: 'argocd-repo-server',
      command: layout.argocd,
      args: [
        ...common,
        ...['--address', address, '--port', String(ports.argocdRepoServer)],
        ...['--metrics-address', address, '--metrics-port', String(ports.argocdRepoServerMetrics)],
      ],
      env: {
        ...env('argocd-repo-server'),
        ...askPass,
        PATH: [join(layout.dir, 'bin'), dirname(layout.helm), dirname(layout.kustomize), process.env.PATH ?? ''].join(
          ':',
        ),
        GIT_CONFIG_NOSYSTEM: '1',
      },
    },
    {
      name: 'argocd-application-controller',
      command: layout.argocd,
      args: [
        ...common,
        ...inNamespace,
        ...['--repo-server', repoServer, ...namespaces],
        // Upstream binds this one to 0.0.0.0 whatever we ask (controller/appcontroller.go); it serves metrics only.
        ...['--metrics-port', String(ports.argocdControllerMetrics)],
        ...(commandLine?.quickResync
          ? ['--app-resync', '60', '--app-resync-jitter', '10', '--self-heal-timeout-seconds', '2']
          : []),
      ],
      // Its shard comes from the StatefulSet ordinal in the host name.
      env: { ...env('argocd-application-controller'), HOSTNAME: 'argocd-application-controller-0' },
    },
    {
      name: 'argocd-server',
      command: layout.argocd,
      args: [
        ...common,
        ...inNamespace,
        ...['--repo-server', repoServer, ...namespaces],
        ...(commandLine?.insecure ? ['--insecure'] : []),
        ...['--address', layout.serverAddress ?? address, '--port', String(ports.argocdServer)],
        ...['--metrics-address', address, '--metrics-port', String(ports.argocdServerMetrics)],
      ],
      env: env('argocd-server'),
    },
  ];
}

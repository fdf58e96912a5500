import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.ts';
import { clusterConnection, type FoundCluster } from '../cluster-connection.ts';
import { type DexApiFlags, dexApiTargetFromFlags } from '../dex-api-flags.ts';
import { type GitFactoryFlags, gitFactoryFiles } from '../git-factory-flags.ts';
import { hostPortFlag, namespaceFlag, wholeNumberFlag } from '../flag-values.ts';
import { readPlatformFile } from '../platform-file.ts';
import { stopOnSignals } from '../stop-signals.ts';

/** Where the lease lives outside a pod: the namespace deploy/rbac/operator.yaml grants the lease rights in. */
export const defaultLeaseNamespace = 'landlord-system';

/** The lease's namespace: the flag's, else the pod's own (where its Role is), else landlord-system. */
export function leaseNamespaceFor(flag: string | undefined, cluster: Pick<FoundCluster, 'podNamespace'>): string {
  return flag ?? cluster.podNamespace ?? defaultLeaseNamespace;
}

interface OperatorFlags extends DexApiFlags, GitFactoryFlags {
  kubeconfig?: string;
  platformConfig?: string;
  listen: string;
  workers: string;
  leaderElect: boolean;
  leaseNamespace?: string;
  identity: string;
  resyncSeconds: string;
}

/** `landlord operator`: reconciles Tenants until stopped (SIGTERM/SIGINT stop it gracefully, within 10 s). */
export function registerOperator(program: Command, io: CliIo): void {
  program
    .command('operator')
    .description('Run the tenant operator: provision, correct drift and tear down tenants')
    .option(
      '--kubeconfig <file>',
      'cluster to manage (default: KUBECONFIG, in a pod its ServiceAccount, ~/.kube/config, else the local dev cluster)',
    )
    .option('--platform-config <file>', 'platform settings (domain, Argo CD namespace, ...)')
    .option('--listen <host:port>', 'address of /metrics, /healthz and /readyz', '127.0.0.1:9090')
    .option('--workers <n>', 'tenants reconciled in parallel (1 to 256)', '8')
    .option('--no-leader-elect', 'reconcile without holding the lease (a single replica only)')
    .option(
      '--lease-namespace <namespace>',
      `namespace of the leader election Lease (default: the pod's own in a cluster, else ${defaultLeaseNamespace})`,
    )
    .option(
      '--resync-seconds <n>',
      'reconcile every tenant this often even without events (0: never, at most 86400)',
      '600',
    )
    .option('--identity <name>', "this replica's name in the lease and events", `${hostname()}-${process.pid}`)
    .option(
      '--dex-api <host:port>',
      "the platform's Dex gRPC API, where each house's OIDC client is made (without it houses' Argo CD waits)",
    )
    .option('--dex-api-ca <file>', "PEM CA that signed Dex's API server certificate")
    .option('--dex-api-cert <file>', "PEM client certificate Dex's API requires (its tlsClientCA signed it)")
    .option('--dex-api-key <file>', 'PEM key of --dex-api-cert')
    .option('--git-token-file <file>', "the forge's token, for the Git factory (git.factory.enabled)")
    .option(
      '--git-webhook-secret-file <file>',
      "the secret the forge signs pushes to Argo CD's /api/webhook with (argocd-secret's webhook.gogs.secret); without it Argo CD polls",
    )
    .action(async (flags: OperatorFlags) => {
      const { host, port } = hostPortFlag('--listen', flags.listen);
      const workers = wholeNumberFlag('--workers', flags.workers, { min: 1, max: 256 });
      // A day at most: timers overflow past 24.8 days and would fire at once, and a missed event waits this long.
      const resyncSeconds = wholeNumberFlag('--resync-seconds', flags.resyncSeconds, {
        min: 0,
        max: 86_400,
        unit: 'seconds',
        minMeans: 'never',
      });
      if (flags.leaseNamespace !== undefined) namespaceFlag('--lease-namespace', flags.leaseNamespace);
      const dexApi = dexApiTargetFromFlags(flags);
      const platform = readPlatformFile(flags.platformConfig);
      const gitFiles = gitFactoryFiles(platform, flags);
      const cluster = await clusterConnection(flags.kubeconfig, 'manage');
      const leaseNamespace = leaseNamespaceFor(flags.leaseNamespace, cluster);
      const log = (line: string) => io.err(`${line}\n`);
      // Loaded when run, so that other commands start without the operator's modules.
      const { TenantOperator } = await import('../../operator/controller.ts');
      const { startMetricsServer } = await import('../../operator/server.ts');
      const { DexClientRegistry } = await import('../../integrations/identity/dex-client-registry.ts');
      const oidcClients = dexApi ? new DexClientRegistry(dexApi) : undefined;
      const { gitIntegrations } = await import('../../operator/git/git-integrations.ts');
      const operator = new TenantOperator({
        kubeConfig: cluster.connection,
        platform,
        integrations: gitIntegrations(platform, gitFiles),
        identity: flags.identity,
        workers,
        resyncMs: resyncSeconds * 1000,
        log,
        oidcClients,
        ...(flags.leaderElect ? { leaderElection: { namespace: leaseNamespace, name: 'landlord-operator' } } : {}),
      });
      const server = await startMetricsServer(operator, host, port);
      log(`[operator] ${flags.identity}: cluster ${cluster.connection.server} from ${cluster.source}`);
      if (flags.leaderElect) log(`[operator] ${flags.identity}: lease ${leaseNamespace}/landlord-operator`);
      log(`[operator] ${flags.identity}: metrics and health on http://${host}:${port}`);
      log(
        `[operator] ${flags.identity}: ` +
          (dexApi
            ? `houses' OIDC clients through Dex's API at ${dexApi.address}${dexApi.tls ? ' (mutual TLS)' : ' (plaintext, loopback)'}`
            : "no Dex API (--dex-api): houses' Argo CD waits for its OIDC client"),
      );
      log(
        `[operator] ${flags.identity}: ` +
          (gitFiles
            ? `Git factory on: tenants' repositories under ${platform.git.baseURL}${gitFiles.webhookSecret ? ', pushes announced to Argo CD by webhook' : ' (no --git-webhook-secret-file: Argo CD polls)'}`
            : 'Git factory off (git.factory.enabled): teams name their repositories'),
      );
      const stop = new AbortController();
      stopOnSignals(stop, log);
      await operator.run(stop.signal);
      server.close();
      operator.close();
      oidcClients?.close();
      log('[operator] stopped');
    });
}

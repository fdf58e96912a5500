import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { formatDuration } from '../../util/duration.ts';
import type { CliIo } from '../cli-io.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { readPlatformFile } from '../platform-file.ts';
import { stopOnSignals } from '../stop-signals.ts';

// dev/ modules are imported inside the actions, never at load: a production install (without the packages
// only the local environment needs) runs every other command.

/** The local cluster these commands work on. */
const localCluster = async () => (await import('../../dev/cluster/local-cluster.ts')).devCluster();

/** `landlord dev ...`: the local environment, a real control plane on loopback with simulated nodes. */
export function registerDev(program: Command, io: CliIo): void {
  const log = (line: string) => io.err(`${line}\n`);
  const dev = program
    .command('dev')
    .description('Run Landlord locally: a real Kubernetes control plane on 127.0.0.1 with simulated (KWOK) nodes');

  dev
    .command('tools')
    .description('Build the pinned upstream tools (Kubernetes, etcd, kwok) that are missing from the cache')
    .action(async () => {
      const { ensureTools } = await import('../../dev/tools/build.ts');
      for (const report of await ensureTools(log)) {
        const what = report.built ? `built in ${formatDuration(report.seconds * 1000)}` : 'already built';
        io.out(`${report.tool} ${report.version}: ${what}\n`);
      }
    });

  dev
    .command('which')
    .description('Print the path of a built upstream binary (kubectl, kube-apiserver, etcd, kwokctl, ...)')
    .argument('<binary>', 'the binary name')
    .addHelpText('after', '\nExit status: 0 built, 3 not built yet (run `landlord dev tools`).')
    .action(async (binary: string) => {
      const { binaryPath } = await import('../../dev/tools/cache.ts');
      let path: string;
      try {
        path = binaryPath(binary);
      } catch (error) {
        throw new CliError((error as Error).message, ExitCode.usage);
      }
      if (!existsSync(path))
        throw new CliError(`${binary} is not built yet: run \`landlord dev tools\``, ExitCode.environment);
      io.out(`${path}\n`);
    });

  dev
    .command('up')
    .description(
      'Start the local cluster (building tools and creating it if needed), Argo CD around it and the platform repository',
    )
    .addHelpText(
      'after',
      '\nIdempotent: what runs is left alone. Ports: 127.0.0.1:20443-20461, or from LANDLORD_DEV_PORT on.',
    )
    .action(async () => {
      const { environmentUp } = await import('../../dev/environment.ts');
      const cluster = await localCluster();
      const started = Date.now();
      const environment = await environmentUp(cluster, log);
      const report = environment.cluster;
      const what = report.created ? 'created' : report.restarted ? 'restarted' : 'already up';
      io.out(`cluster ${cluster.name} ${what}; environment ready in ${formatDuration(Date.now() - started)}\n`);
      io.out(`kubeconfig:    ${report.kubeconfig}\n`);
      io.out(`Argo CD:       ${environment.argocd.url}\n`);
      io.out(`platform repo: ${environment.platformRepo.repoURL} (tenants/*.yaml)\n`);
      io.out(`Gitea:         ${environment.gitea.url} (API; directory people sign in with their passwords)\n`);
      io.out(`try: kubectl --kubeconfig "$(landlord dev kubeconfig)" get nodes,crd\n`);
    });

  dev
    .command('start')
    .description('Run the whole platform locally: cluster, CRDs, the example tenants and the operator (npm start)')
    .option('--platform-config <file>', 'platform settings (domain, Argo CD namespace, ...)')
    .addHelpText('after', '\nRuns in the foreground; Ctrl-C stops the operator and leaves the cluster running.')
    .action(async (options: { platformConfig?: string }) => {
      const stop = new AbortController();
      stopOnSignals(stop, log);
      // Loaded when run: it brings the operator and the portal, which no other command needs.
      const { startPlatform } = await import('../../dev/start.ts');
      await startPlatform(await localCluster(), readPlatformFile(options.platformConfig), stop.signal, log);
    });

  dev
    .command('status')
    .description('Show whether the local cluster exists and runs, its version, nodes, CRDs and Argo CD processes')
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText('after', '\nExit status: 0 running, 3 missing or stopped.')
    .action(async (options: { output: string }) => {
      const { environmentStatus, formatEnvironmentStatus } = await import('../../dev/environment-status.ts');
      const status = await environmentStatus(await localCluster());
      if (options.output === 'json') io.out(`${JSON.stringify(status, null, 2)}\n`);
      else io.out(formatEnvironmentStatus(status));
      if (!status.running) io.setExitCode(ExitCode.environment);
    });

  dev
    .command('down')
    .description('Stop Argo CD, delete the local cluster, its data and the local Git repositories')
    .action(async () => {
      const { environmentDown } = await import('../../dev/environment.ts');
      const deleted = await environmentDown(await localCluster(), log);
      io.out(deleted ? 'cluster deleted\n' : 'no cluster to delete\n');
    });

  dev
    .command('users')
    .description("List the local directory's people, their groups and their generated passwords (for signing in)")
    .addHelpText(
      'after',
      '\nThe passwords are generated per environment and kept in a 0600 file; `dev down` forgets them.',
    )
    .action(async () => {
      const { exampleDirectory } = await import('../../dev/identity/directory.ts');
      const { identityDir, identitySecrets } = await import('../../dev/identity/lifecycle.ts');
      const cluster = await localCluster();
      if (!existsSync(identityDir(cluster)))
        throw new CliError('no local environment: run `landlord dev up` first', ExitCode.environment);
      const secrets = identitySecrets(cluster);
      const directory = exampleDirectory((uid) => secrets.users[uid] ?? '');
      for (const user of directory.users) {
        const groups = directory.groups.filter((group) => group.members.includes(user.uid)).map((group) => group.cn);
        io.out(`${user.uid.padEnd(8)} ${user.password}  groups: ${groups.join(', ') || '(none)'}\n`);
      }
    });

  dev
    .command('kubeconfig')
    .description("Print the path of the local cluster's kubeconfig file, for kubectl and other tools")
    .addHelpText('after', '\nExample: kubectl --kubeconfig "$(landlord dev kubeconfig)" get nodes')
    .action(async () => {
      const { clusterStatus } = await import('../../dev/cluster/status.ts');
      const { kubeconfigPath } = await import('../../dev/cluster/local-cluster.ts');
      const cluster = await localCluster();
      const status = await clusterStatus(cluster);
      if (!status.exists) throw new CliError('no local cluster: run `landlord dev up` first', ExitCode.environment);
      io.out(`${kubeconfigPath(cluster)}\n`);
    });
}

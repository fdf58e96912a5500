import type { Command } from 'commander';
import { KubeHttp } from '../../kube/http.ts';
import type { CliIo } from '../cli-io.ts';
import { clusterConnection } from '../cluster-connection.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { connectAllHouses, connectHouse } from './vcluster-connect.ts';
import { kubeconfigTarget } from './vcluster-file.ts';
import { houseTable, listHouses } from './vcluster-houses.ts';
import { connectHouseThroughPortal, portalSessionVariable } from './vcluster-portal.ts';

interface ClusterFlags {
  kubeconfig?: string;
}
interface ConnectFlags extends ClusterFlags {
  kubeconfigOut?: string;
  portal?: string;
}

const kubeconfigHelp =
  'cluster to read (default: KUBECONFIG, in a pod its ServiceAccount, ~/.kube/config, else the local dev cluster)';
const outHelp =
  'kubeconfig file to write the context into (default: --kubeconfig, else the file kubectl writes to: the first ' +
  'existing file of KUBECONFIG, else ~/.kube/config)';
// A team name as the Tenant API allows it: nothing else reaches a path or a context name.
const teamPattern = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** `landlord vcluster list | connect <team> | connect-all`: the houses (virtual-cluster tenants) and access to them. */
export function registerVcluster(program: Command, io: CliIo): void {
  const vcluster = program
    .command('vcluster')
    .description('Houses (tenants with isolation: vcluster): list them, write kubeconfig contexts for them');
  vcluster
    .command('list')
    .description('Every house you can see: team, phase, Kubernetes version, API URL')
    .option('--kubeconfig <file>', kubeconfigHelp)
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (flags: ClusterFlags & { output: string }) => {
      if (!['table', 'json'].includes(flags.output))
        throw new CliError(`--output: "${flags.output}" is not allowed; use table or json`, ExitCode.usage);
      const rows = await withCluster(flags, 'list houses', listHouses);
      io.out(flags.output === 'json' ? `${JSON.stringify({ houses: rows }, null, 2)}\n` : houseTable(rows));
    });
  vcluster
    .command('connect')
    .description("Write a context vcluster-<team> for a team's house into a kubeconfig (current context unchanged)")
    .argument('<team>', "the house's team name")
    .option('--kubeconfig <file>', kubeconfigHelp)
    .option('--kubeconfig-out <file>', outHelp)
    .option(
      '--portal <url>',
      `team members: ask this portal for your own short-lived token inside the house (your session: ${portalSessionVariable})`,
    )
    .addHelpText(
      'after',
      "\nWith your own rights only: the house's admin credentials are for platform admins. Team members use --portal\n" +
        `with ${portalSessionVariable} set to their portal session (its landlord_session cookie): the same short-lived\n` +
        "token as the portal's kubeconfig download, never the admin certificate.\n" +
        'Exit status: 0 written, 1 not a Ready house or not yours to read, 2 usage, 3 cluster unreachable.',
    )
    .action(async (team: string, flags: ConnectFlags) => {
      if (!teamPattern.test(team))
        throw new CliError(
          `<team>: "${team}" is not a team name; use 2 to 40 lowercase letters, digits and dashes`,
          ExitCode.usage,
        );
      const file = kubeconfigTarget(flags);
      const done = flags.portal
        ? await connectHouseThroughPortal(flags.portal, portalSession(), team, file)
        : await withCluster(flags, 'connect to a house', (http) => connectHouse(http, team, file));
      io.out(`Context ${done.context} (${done.server}) written to ${done.file}; current context unchanged.\n`);
      io.out(`Use it: kubectl --context ${done.context} get namespaces\n`);
    });
  vcluster
    .command('connect-all')
    .description('Write a context vcluster-<team> for every Ready house you can read (current context unchanged)')
    .option('--kubeconfig <file>', kubeconfigHelp)
    .option('--kubeconfig-out <file>', outHelp)
    .addHelpText('after', '\nExit status: 0 every Ready house written, 1 some could not be, 3 cluster unreachable.')
    .action(async (flags: ConnectFlags) => {
      const file = kubeconfigTarget(flags);
      const done = await withCluster(flags, 'connect to houses', (http) => connectAllHouses(http, file));
      for (const house of done.connected) io.out(`Context ${house.context} (${house.server}) written to ${file}\n`);
      for (const house of done.skipped) io.out(`Skipped ${house.team}: ${house.reason}\n`);
      for (const house of done.failed) io.err(`Could not connect ${house.team}: ${house.reason}\n`);
      if (!done.connected.length && !done.failed.length) io.out('No Ready house to connect.\n');
      if (done.failed.length) io.setExitCode(ExitCode.invalid);
    });
}

/** The person's portal session from the environment (a flag would leave it in the shell's history). */
function portalSession(): string {
  const session = process.env[portalSessionVariable]?.trim();
  if (!session)
    throw new CliError(
      `--portal needs ${portalSessionVariable}: the value of the portal's landlord_session cookie after you sign in there`,
      ExitCode.usage,
    );
  return session;
}

/** Runs `work` against the cluster the flags (or the usual sources) name, closing the client afterwards. */
async function withCluster<T>(flags: ClusterFlags, purpose: string, work: (http: KubeHttp) => Promise<T>): Promise<T> {
  const http = new KubeHttp((await clusterConnection(flags.kubeconfig, purpose)).connection);
  try {
    return await work(http);
  } finally {
    http.close();
  }
}

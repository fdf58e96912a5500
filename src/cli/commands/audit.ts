import type { Command } from 'commander';
import type { PlatformConfig } from '../../api/platform-config.ts';
import { audit } from '../../audit/audit.ts';
import { formatJson, formatTable } from '../../audit/format.ts';
import type { Inventory } from '../../audit/inventory.ts';
import { auditOptionsFrom } from '../../audit/options.ts';
import { readCluster } from '../../audit/read-cluster.ts';
import { FolderReadError, readFolder } from '../../audit/read-folder.ts';
import { KubeHttp } from '../../kube/http.ts';
import type { CliIo } from '../cli-io.ts';
import { clusterConnection } from '../cluster-connection.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { readPlatformFile } from '../platform-file.ts';

interface AuditFlags {
  kubeconfig?: string;
  folder?: string;
  output: string;
  platformConfig?: string;
  platformProject: string[];
}

/** `landlord audit`: every way one tenant can reach another tenant or the cluster. */
export function registerAudit(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description('Report every way a tenant can reach another tenant or the cluster (live cluster or a YAML folder)')
    .option(
      '--kubeconfig <file>',
      'cluster to read (default: KUBECONFIG, in a pod its ServiceAccount, ~/.kube/config, else the local dev cluster)',
    )
    .option(
      '--folder <dir>',
      'audit the YAML under this folder instead of a cluster (a platform repo, `landlord render` output)',
    )
    .option('-o, --output <format>', 'table or json', 'table')
    .option(
      '--platform-config <file>',
      "platform settings: Argo CD's namespace, Git base URL, Pod Security level, platform namespaces, ...",
    )
    .option(
      '--platform-project <name>',
      "an AppProject of the platform team's own (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addHelpText(
      'after',
      "\nArgo CD's own pattern semantics are applied: a destination is permitted when an allow pattern matches and no\ndeny (!) pattern rules it out.\nExit status: 0 nothing found, 1 findings, 2 usage, 3 cluster or folder unreadable.",
    )
    .action(async (flags: AuditFlags) => {
      if (!['table', 'json'].includes(flags.output))
        throw new CliError(`--output: "${flags.output}" is not allowed; use table or json`, ExitCode.usage);
      const platform = await platformOf(flags);
      const inventory = flags.folder
        ? folderInventory(flags.folder)
        : await clusterInventory(flags.kubeconfig, platform);
      const projects = flags.platformProject.length ? flags.platformProject : undefined;
      const findings = audit(inventory, auditOptionsFrom(platform, projects));
      io.out(flags.output === 'json' ? formatJson(findings) : formatTable(findings));
      if (findings.length) io.setExitCode(ExitCode.invalid);
    });
}

/**
 * The platform settings to judge by: the file given, over the local environment's own (its Git folder, Argo CD)
 * when the audit falls back to the local dev cluster, as `npm start` ran it.
 */
async function platformOf(flags: AuditFlags): Promise<PlatformConfig> {
  const given = readPlatformFile(flags.platformConfig);
  // A folder, a named cluster or one inside a pod (in-cluster configuration) is never the local environment.
  if (flags.folder || flags.kubeconfig || process.env.KUBECONFIG || process.env.KUBERNETES_SERVICE_HOST) return given;
  const { devCluster } = await import('../../dev/cluster/local-cluster.ts');
  const { localPlatformConfig } = await import('../../dev/environment.ts');
  return localPlatformConfig(devCluster(), given);
}

function folderInventory(folder: string): Inventory {
  try {
    return readFolder(folder);
  } catch (error) {
    if (error instanceof FolderReadError) throw new CliError(error.message, ExitCode.invalid);
    throw new CliError(`cannot read ${folder}: ${(error as Error).message}`, ExitCode.environment);
  }
}

async function clusterInventory(kubeconfig: string | undefined, platform: PlatformConfig): Promise<Inventory> {
  const http = new KubeHttp((await clusterConnection(kubeconfig, 'audit')).connection);
  try {
    return await readCluster(http, platform.nodePools.ownerLabel);
  } catch (error) {
    throw new CliError(`cannot read the cluster: ${(error as Error).message}`, ExitCode.environment);
  } finally {
    http.close();
  }
}

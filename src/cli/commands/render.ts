import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { teamRepoProblem } from '../../tenancy/team-repository.ts';
import { nameProblem } from '../../tenancy/name-claims.ts';
import { renderTenantFolder, tenantFolder } from '../../tenancy/gitops-folder.ts';
import { houseRefusal } from '../../tenancy/house/refusal.ts';
import type { CliIo } from '../cli-io.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { readPlatformFile } from '../platform-file.ts';
import { refuseBeyondLimits } from '../render-limits.ts';
import { readTenantFiles, refuseInvalid } from '../tenant-files.ts';

/** `landlord render FILE...`: the article's GitOps folder, from the same builders as the operator. */
export function registerRender(program: Command, io: CliIo): void {
  program
    .command('render')
    .description('Write the GitOps folder (teams/<team>/namespace.yaml, resource-quotas.yaml, ...) of Tenant files')
    .argument('<files...>', 'Tenant YAML files')
    .option('-o, --output <dir>', 'the platform-config folder to write into', 'platform-config')
    .option('--platform-config <file>', 'platform settings (domain, Argo CD namespace, ...); defaults otherwise')
    .addHelpText(
      'after',
      '\nInvalid tenants are refused with every error and nothing is written. Each team folder is replaced whole.\nExit status: 0 written, 1 invalid tenant or configuration, 2 unreadable file.',
    )
    .action((files: string[], options: { output: string; platformConfig?: string }) => {
      const platform = readPlatformFile(options.platformConfig);
      const { tenants, invalid } = readTenantFiles(files);
      refuseInvalid(invalid, ': nothing written', io);
      refuseDuplicateTeams(tenants);
      refuseNamesTaken(tenants, platform);
      refuseOthersRepositories(tenants, platform);
      refuseBeyondLimits(tenants, platform);
      refuseHousesNotBuildable(tenants, platform);
      for (const tenant of tenants) {
        writeTeamFolder(options.output, tenantFolder(tenant), renderTenantFolder(tenant, platform));
      }
      io.out(`rendered ${tenants.length} tenant(s) into ${options.output}\n`);
    });
}

/** The operator would refuse these tenants: the rendered AppProject must not carry another's repository either. */
function refuseOthersRepositories(tenants: Tenant[], platform: PlatformConfig): void {
  const problems = tenants.flatMap((tenant) => {
    const problem = teamRepoProblem(tenant, platform);
    return problem ? [`Tenant ${tenant.metadata.name}: ${problem}`] : [];
  });
  if (problems.length) throw new CliError(`${problems.join('\n')}\nnothing written`, ExitCode.invalid);
}

/** The operator would leave these houses Failed with nothing deployed: render writes none of them either. */
function refuseHousesNotBuildable(tenants: Tenant[], platform: PlatformConfig): void {
  const problems = tenants.flatMap((tenant) => {
    const refusal = houseRefusal(tenant, platform);
    return refusal ? [`Tenant ${tenant.metadata.name}: ${refusal.message}`] : [];
  });
  if (problems.length) throw new CliError(`${problems.join('\n')}\nnothing written`, ExitCode.invalid);
}

/** Names are a tree (ADR 20): the rendered layout has no operator to refuse a squat, so render does. */
function refuseNamesTaken(tenants: Tenant[], platform: PlatformConfig): void {
  const problems = tenants.flatMap((tenant, index) => {
    const problem = nameProblem(tenant, tenants.slice(0, index), platform);
    return problem ? [`Tenant ${tenant.metadata.name}: ${problem.message}`] : [];
  });
  if (problems.length) throw new CliError(`${problems.join('\n')}\nnothing written`, ExitCode.invalid);
}

function refuseDuplicateTeams(tenants: Tenant[]): void {
  const seen = new Map<string, string>();
  for (const tenant of tenants) {
    const other = seen.get(tenant.spec.teamName);
    if (other) {
      throw new CliError(
        `Tenants ${other} and ${tenant.metadata.name} both have teamName ${tenant.spec.teamName}: nothing written`,
        ExitCode.invalid,
      );
    }
    seen.set(tenant.spec.teamName, tenant.metadata.name);
  }
}

/** Writes the team's files beside the folder, then swaps it in: a reader never sees half a folder. */
function writeTeamFolder(output: string, folder: string, files: Map<string, string>): void {
  const target = join(output, folder);
  const staging = `${target}.rendering-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  for (const [path, content] of files) {
    const file = join(staging, path.slice(`${folder}/`.length));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

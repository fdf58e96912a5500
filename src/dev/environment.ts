import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPlatformConfig, type PlatformConfig } from '../api/platform-config.ts';
import { applyObject } from '../kube/apply.ts';
import {
  buildLockedDefaultProject,
  buildPlatformApplication,
  buildPlatformProject,
  buildPlatformRepositorySecret,
  type PlatformRepo,
} from '../platform/platform-application.ts';
import { installAdmission, operatorAccount, operatorKubeconfigPath } from './admission.ts';
import { argoCdDir, argoCdDown, argoCdUp, argoCdUrl, type LocalArgoCd } from './argocd/lifecycle.ts';
import { argoCdAccounts, argoCdKubeconfig, type ArgoCdAccountUser } from './argocd/identity.ts';
import { ensureTokenRenewer, stopTokenRenewer, type TokenRenewal } from './cluster/token-renewer.ts';
import type { LocalUser } from './argocd/settings.ts';
import { connect } from './cluster/connect.ts';
import { clusterDown, clusterUp, type UpReport } from './cluster/lifecycle.ts';
import { environmentDir, environmentPorts, type LocalCluster } from './cluster/local-cluster.ts';
import { dexClients, identityDown, identitySecrets, identityUp, type LocalIdentity } from './identity/lifecycle.ts';
import type { NodeLayout } from './cluster/simulated-nodes.ts';
import { ensureSeededRepo, repoURL } from './git/local-repos.ts';
import { applyPlatformNetwork } from './platform-network.ts';
import { applyDeployRbacFile } from './deploy-rbac.ts';
import { chartRepositoryURL, localChartVersion } from './charts/chart-repository.ts';
import { ensureChartServer, stopChartServer } from './charts/chart-server.ts';
import {
  ensureVolumeProvisioner,
  stopVolumeProvisioner,
  volumeProvisionerAccount,
  volumeProvisionerKubeconfig,
} from './cluster/volume-provisioner-process.ts';
import { ensureHouseRunner, stopHouseRunner } from './houses/runner-lifecycle.ts';
import { ensureArgoCdManifestsRepo, manifestsRepoPath } from './argocd/manifests-repo.ts';
import { dexIssuer } from './identity/dex-config.ts';
import { giteaDown, giteaUp, type LocalGitea } from './forge/gitea-lifecycle.ts';
import { exampleDirectory, platformAdminsGroup } from './identity/directory.ts';
import { ensurePlatformRepository, type ForgePlatformRepo } from './forge/platform-repository.ts';
import { hostWebhookURL } from '../operator/git/git-integrations.ts';

type Log = (line: string) => void;

/** The whole local environment: the cluster, Argo CD around it and the Git repositories it syncs. */
export interface LocalEnvironment {
  cluster: UpReport;
  argocd: LocalArgoCd;
  identity: LocalIdentity;
  /** The local Git forge, its people signing in through the directory. */
  gitea: LocalGitea;
  /** The platform settings that match this environment (Git base URL, Argo CD URL). */
  platform: PlatformConfig;
  platformRepo: PlatformRepo;
  /** The platform repository on the forge (with the factory on), without its reader's token. */
  platformForge?: Omit<ForgePlatformRepo, 'reader'>;
  /** Whether houses run here (the house runner needs root), and why not. */
  houses: { available: boolean; reason?: string };
}

const platformReadme = `# Platform repository

One Tenant per file under tenants/. Argo CD syncs this folder into the cluster: adding a file provisions a
tenant, changing it updates it, removing it decommissions it.
`;

/** Where the environment's bare Git repositories live; team repositories are <team>-gitops.git in it. */
export const gitDir = (cluster: LocalCluster) => join(environmentDir(cluster), 'git');

/** The platform settings of a local environment: its Git repositories and its Argo CD. */
export function localPlatformConfig(cluster: LocalCluster, base = defaultPlatformConfig): PlatformConfig {
  return {
    ...base,
    argocd: { ...base.argocd, url: argoCdUrl(cluster) },
    // The local repositories are files: a team may name its own file:// repository here, and only here.
    git: { ...base.git, baseURL: repoURL(gitDir(cluster)), allowFileURLs: true },
    // The examples and tests deploy the article's images, from its company's registry.
    allowedRegistries: [...new Set([...base.allowedRegistries, 'registry.financecore.local'])],
    // Houses: the chart from the local repository, each house's API on its own loopback address (no ingress here).
    houses: {
      ...base.houses,
      chart: { ...base.houses.chart, repoURL: chartRepositoryURL(cluster), version: localChartVersion() },
      apiServerURL: 'https://{loopback}',
      // Each house's Argo CD: upstream's manifests from the local mirror, on the house's loopback address.
      argocd: {
        ...base.houses.argocd,
        manifests: { ...base.houses.argocd.manifests, repoURL: repoURL(manifestsRepoPath(gitDir(cluster))) },
        url: 'http://{loopback}:8080',
      },
    },
    // Houses' Argo CD sign people in through the local Dex.
    sso: { ...base.sso, issuer: dexIssuer(environmentPorts(cluster).dex) },
  };
}

/**
 * Brings everything up, starting only what is not running: the cluster, Landlord's admission policies and the
 * operator's identity, the directory and Dex, the Git forge (Gitea), Argo CD
 * (settings with SSO through Dex, a locked default project, the platform project and Application) and the
 * platform repository.
 */
export async function environmentUp(
  cluster: LocalCluster,
  log: Log,
  // Local accounts are for scripts; people sign in through Dex with their directory groups.
  options: {
    users?: LocalUser[];
    layout?: NodeLayout;
    platform?: PlatformConfig;
    /** The platform repository on the local Gitea (requests as pull requests), seeded with these files once. */
    platformOnForge?: { seed: { path: string; content: string }[] };
  } = {},
): Promise<LocalEnvironment> {
  const report = await clusterUp(cluster, log, options.layout);
  const platform = localPlatformConfig(cluster, options.platform);
  await ensureArgoCdManifestsRepo(gitDir(cluster), platform.houses.argocd.manifests.targetRevision);
  const { http, discovery } = connect(cluster);
  try {
    await installAdmission(cluster, http, discovery, log);
    await ensureVolumeProvisioner(cluster, http, discovery);
    await applyObject(http, discovery, buildLockedDefaultProject(platform));
    await applyPlatformNetwork(http, discovery, platform);
    const ports = environmentPorts(cluster);
    const identity = await identityUp(
      cluster,
      { argocd: argoCdUrl(cluster), portal: `http://127.0.0.1:${ports.portal}` },
      log,
      platform.sso.sessionMinutes,
    );
    const sso = {
      issuer: identity.issuer,
      clientID: dexClients.argocd,
      clientSecret: identitySecrets(cluster).clientSecrets.argocd,
      sessionMinutes: platform.sso.sessionMinutes,
    };
    const argocd = await argoCdUp(
      cluster,
      http,
      discovery,
      { namespace: platform.argocd.namespace, users: options.users ?? [], sso },
      log,
    );
    // The forge's accounts and teams mirror the example directory's people and groups (no passwords needed).
    const gitea = await giteaUp(cluster, exampleDirectory(), log);
    const forgePlatform = options.platformOnForge
      ? await ensurePlatformRepository(
          { url: gitea.url, token: readFileSync(gitea.tokenFile, 'utf8').trim() },
          {
            name: 'platform',
            directory: exampleDirectory(),
            requesterGroups: exampleDirectory()
              .groups.map((group) => group.cn)
              .filter((cn) => cn !== platformAdminsGroup),
            seed: [{ path: 'tenants/README.md', content: platformReadme }, ...options.platformOnForge.seed],
            webhook: { url: hostWebhookURL(platform), secret: readFileSync(argocd.webhookSecretFile, 'utf8').trim() },
          },
        )
      : undefined;
    const platformRepo: PlatformRepo = {
      repoURL: forgePlatform?.cloneURL ?? (await barePlatformRepo(cluster)),
      targetRevision: 'main',
      layout: 'tenants',
    };
    if (forgePlatform)
      await applyObject(http, discovery, buildPlatformRepositorySecret(platform, platformRepo, forgePlatform.reader));
    ensureTokenRenewer(cluster, localTokenRenewals(cluster, platform));
    await ensureChartServer(cluster, log);
    // Argo CD syncs the platform repository as this account (sync impersonation), not with its own rights.
    await applyDeployRbacFile(http, discovery, 'platform-deployer.yaml');
    await applyObject(http, discovery, buildPlatformProject(platform, platformRepo));
    await applyObject(http, discovery, buildPlatformApplication(platform, platformRepo));
    // The houses' kubelet (KWOK runs no containers), once everything else is up.
    const houses = await ensureHouseRunner(cluster, platform.houses, log);
    const platformForge = forgePlatform && {
      repository: forgePlatform.repository,
      cloneURL: forgePlatform.cloneURL,
      webURL: forgePlatform.webURL,
    };
    return { cluster: report, argocd, identity, gitea, platform, platformRepo, platformForge, houses };
  } finally {
    http.close();
  }
}

/** The platform repository as a bare folder (the environment without the Git factory); its URL. */
async function barePlatformRepo(cluster: LocalCluster): Promise<string> {
  const path = join(gitDir(cluster), 'platform.git');
  await ensureSeededRepo(path, [{ path: 'tenants/README.md', content: platformReadme }], 'Platform repo');
  return repoURL(path);
}

/** The local processes' ServiceAccount kubeconfigs (the operator's, Argo CD's), renewed under the cluster's token cap. */
function localTokenRenewals(cluster: LocalCluster, platform: PlatformConfig): TokenRenewal[] {
  const argocd = Object.entries(argoCdAccounts).map(([user, name]) => ({
    account: { namespace: platform.argocd.namespace, name },
    file: argoCdKubeconfig(argoCdDir(cluster), user as ArgoCdAccountUser),
  }));
  return [
    { account: operatorAccount, file: operatorKubeconfigPath(cluster) },
    ...argocd,
    { account: volumeProvisionerAccount, file: volumeProvisionerKubeconfig(cluster) },
  ];
}

/** Stops Argo CD, deletes the cluster and the environment's files (repositories included). */
export async function environmentDown(cluster: LocalCluster, log: Log, platform = defaultPlatformConfig) {
  await stopTokenRenewer(cluster);
  await stopChartServer(cluster);
  await stopVolumeProvisioner(cluster);
  await argoCdDown(cluster, platform.argocd.namespace);
  await giteaDown(cluster);
  await identityDown(cluster);
  await stopHouseRunner(cluster);
  const removed = await clusterDown(cluster, log);
  rmSync(environmentDir(cluster), { recursive: true, force: true });
  return removed;
}

import type { PlatformConfig } from '../api/platform-config.ts';
import type { Manifest } from '../tenancy/manifest.ts';
import { managedByLabel, managedByValue } from '../tenancy/ownership.ts';

/** Name of the platform's own AppProject and Application in the host Argo CD. */
export const platformProjectName = 'landlord-platform';

/**
 * What the platform repository holds: Tenant files under tenants/ (the operator builds the rest), or the
 * output of `landlord render` under teams/ (Argo CD applies the objects themselves).
 */
export type PlatformRepoLayout = 'tenants' | 'rendered';

/** Where the platform repository is and how it is laid out. */
export interface PlatformRepo {
  /** The AppProject's and Application's name; landlord-platform unless a second platform repo is synced. */
  name?: string;
  repoURL: string;
  targetRevision: string;
  layout: PlatformRepoLayout;
}

const labels = { [managedByLabel]: managedByValue };

/**
 * The ServiceAccounts (in Argo CD's namespace) the platform Applications sync as, one per layout, with only the
 * rights that layout needs: deploy/rbac/platform-deployer.yaml (Tenants) and platform-deployer-rendered.yaml
 * (what `landlord render` writes).
 */
export const platformDeployers: Record<PlatformRepoLayout, string> = {
  tenants: 'landlord-platform-deployer',
  rendered: 'landlord-rendered-deployer',
};

/**
 * The platform team's AppProject: only the platform repository, Applications only in the Argo CD namespace
 * (no tenant can name it), and in tenants layout nothing but Tenants; rendered layout needs Namespaces and
 * objects in every tenant namespace. Synced as the layout's deployer, never with Argo CD's own rights.
 */
export function buildPlatformProject(platform: PlatformConfig, repo: PlatformRepo): Manifest {
  const server = platform.argocd.destinationServer;
  const rendered = repo.layout === 'rendered';
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: repo.name ?? platformProjectName, namespace: platform.argocd.namespace, labels },
    spec: {
      description: 'The platform: tenants declared in the platform repository, managed by Landlord',
      sourceRepos: [repo.repoURL],
      destinations: rendered ? [{ server, namespace: '*' }] : [{ server, namespace: platform.argocd.namespace }],
      clusterResourceWhitelist: rendered
        ? [
            { group: '', kind: 'Namespace' },
            { group: 'landlord.dev', kind: 'Tenant' },
          ]
        : [{ group: 'landlord.dev', kind: 'Tenant' }],
      ...(rendered ? {} : { namespaceResourceBlacklist: [{ group: '*', kind: '*' }] }),
      sourceNamespaces: [],
      destinationServiceAccounts: [
        {
          server: '*',
          namespace: '*',
          defaultServiceAccount: `${platform.argocd.namespace}:${platformDeployers[repo.layout]}`,
        },
      ],
    },
  };
}

/** The platform Application: syncs the platform repository, pruning what is removed from it and self-healing. */
export function buildPlatformApplication(platform: PlatformConfig, repo: PlatformRepo): Manifest {
  const rendered = repo.layout === 'rendered';
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: repo.name ?? platformProjectName, namespace: platform.argocd.namespace, labels },
    spec: {
      project: repo.name ?? platformProjectName,
      source: {
        repoURL: repo.repoURL,
        targetRevision: repo.targetRevision,
        path: rendered ? 'teams' : 'tenants',
        directory: { recurse: rendered },
      },
      destination: { server: platform.argocd.destinationServer, namespace: platform.argocd.namespace },
      // allowEmpty stays false: a commit that empties the repository must not decommission every tenant at once.
      // Background pruning: Argo CD's default (foreground) has the garbage collector delete a Tenant's
      // namespaces alongside its Applications, racing the operator's ordered teardown.
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        syncOptions: ['ServerSideApply=true', 'PrunePropagationPolicy=background'],
      },
    },
  };
}

/**
 * The platform repository's credentials for Argo CD (a private repository on a forge): a repository Secret scoped
 * to the platform project, holding a read-only machine user's token, so no other project's Application can use it.
 */
export function buildPlatformRepositorySecret(
  platform: PlatformConfig,
  repo: PlatformRepo,
  reader: { username: string; token: string },
): Manifest {
  const project = repo.name ?? platformProjectName;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `${project}-repository`,
      namespace: platform.argocd.namespace,
      // Not labelled as Landlord's: the platform team sets it up (npm start does), like the platform Application's repository.
      labels: { 'argocd.argoproj.io/secret-type': 'repository' },
    },
    type: 'Opaque',
    stringData: { type: 'git', url: repo.repoURL, project, username: reader.username, password: reader.token },
  };
}

/**
 * Argo CD's `default` project allows every repository, destination and kind; Applications that name it
 * would bypass every tenant boundary. Landlord empties it, as Argo CD's hardening guide advises.
 */
export function buildLockedDefaultProject(platform: PlatformConfig): Manifest {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name: 'default', namespace: platform.argocd.namespace },
    spec: {
      description: 'Locked by Landlord: use a team project',
      sourceRepos: [],
      destinations: [],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
    },
  };
}

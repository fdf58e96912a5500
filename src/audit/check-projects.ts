import { deniedNamespacedKinds } from '../tenancy/argocd.ts';
import {
  type AppProjectSpec,
  isDestinationPermitted,
  isGroupKindPermitted,
  isSourceNamespacePermitted,
  isSourcePermitted,
} from './appproject-semantics.ts';
import { checkHouseProject, otherHouses } from './check-house-projects.ts';
import type { Finding } from './finding.ts';
import { houseNamespaceOf, isHouseProject } from './houses.ts';
import {
  type AuditedObject,
  type AuditedTenant,
  describeObject,
  type Inventory,
  ofKind,
  tenantOfProject,
} from './inventory.ts';
import { type AuditOptions, futureNamespaceProbe } from './options.ts';
import { anyRepositoryProbe } from './team-repositories.ts';

/** Cluster-scoped kinds whose creation by a tenant hands it the cluster. */
const sensitiveClusterKinds = [
  { group: '', kind: 'Namespace' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
  { group: '', kind: 'PersistentVolume' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
  { group: 'landlord.dev', kind: 'Tenant' },
];

/** Every rule about AppProjects: destinations, sources, kinds and source namespaces. */
export function checkProjects(inventory: Inventory, tenants: AuditedTenant[], options: AuditOptions): Finding[] {
  const ownerOfNamespace = new Map<string, AuditedTenant>();
  for (const tenant of tenants) for (const namespace of tenant.namespaces) ownerOfNamespace.set(namespace, tenant);
  const candidates = new Set([
    ...ofKind(inventory, 'Namespace').map((namespace) => namespace.metadata.name),
    ...options.platformNamespaces,
    ...ownerOfNamespace.keys(),
    futureNamespaceProbe,
  ]);
  const findings: Finding[] = [];
  for (const project of ofKind(inventory, 'AppProject')) {
    const spec = (project.spec ?? {}) as AppProjectSpec;
    if (options.platformProjects.includes(project.metadata.name)) {
      findings.push(...checkPlatformProject(project, spec, candidates, options));
      continue;
    }
    const tenant = tenantOfProject(project, tenants);
    const context: ProjectContext = { project, spec, tenant, tenants, candidates, ownerOfNamespace, options };
    findings.push(
      ...checkDestinations(context),
      ...checkSources(context),
      // A house's project is judged by the house's model: its kinds are the team's inside its own cluster.
      ...(tenant && isHouseProject(project.metadata.name, tenant)
        ? checkHouseProject({ project, spec, tenant, options })
        : checkKinds(context)),
      ...checkSourceNamespaces(context),
    );
  }
  return findings;
}

interface ProjectContext {
  project: AuditedObject;
  spec: AppProjectSpec;
  tenant: AuditedTenant | undefined;
  tenants: AuditedTenant[];
  candidates: Set<string>;
  ownerOfNamespace: Map<string, AuditedTenant>;
  options: AuditOptions;
}

const whose = (context: ProjectContext) =>
  context.tenant ? `tenant ${context.tenant.name}'s project` : 'this project (no tenant owns it)';
const exactDestinationsFix = (context: ProjectContext) =>
  context.tenant?.house && isHouseProject(context.project.metadata.name, context.tenant)
    ? `list exactly the house namespace ${houseNamespaceOf(context.tenant.team)} on the host and the house's own server, no patterns (Landlord writes this)`
    : context.tenant
      ? `list exactly the tenant's namespaces as destinations, no patterns: ${[...context.tenant.namespaces].join(', ')} (Landlord writes this)`
      : 'give the project exact namespace destinations, or delete it';

function checkDestinations(context: ProjectContext): Finding[] {
  const own = context.tenant?.namespaces ?? new Set<string>();
  const reachable = [...context.candidates].filter(
    (namespace) => !own.has(namespace) && permits(context, namespace, context.options.destinationServer),
  );
  return [
    ...otherTenantFindings(context, reachable),
    ...platformFindings(context, reachable),
    ...anyClusterFindings(context, [...own][0] ?? futureNamespaceProbe),
  ];
}

/** Whether the project lets an Application deploy into the namespace on the server. */
function permits(context: ProjectContext, namespace: string, server: string): boolean {
  const { options } = context;
  const name = server === options.destinationServer ? options.destinationName : '';
  return isDestinationPermitted(context.spec, { server, name, namespace });
}

function otherTenantFindings(context: ProjectContext, reachable: string[]): Finding[] {
  const byOtherTenant = new Map<string, { namespaces: string[]; houses: string[] }>();
  const of = (name: string) => byOtherTenant.get(name) ?? { namespaces: [], houses: [] };
  for (const namespace of reachable) {
    const other = context.ownerOfNamespace.get(namespace);
    if (other)
      byOtherTenant.set(other.name, { ...of(other.name), namespaces: [...of(other.name).namespaces, namespace] });
  }
  for (const { tenant: other, server } of otherHouses(context.spec, context.tenant, context.tenants, context.options))
    byOtherTenant.set(other.name, { ...of(other.name), houses: [server] });
  return [...byOtherTenant].map(([other, { namespaces, houses }]) =>
    projectFinding(
      context,
      'project-destination-other-tenant',
      `${whose(context)} can deploy into ${[
        ...(namespaces.length ? [`${other}'s namespace(s) ${namespaces.join(', ')}`] : []),
        ...houses.map((server) => `${other}'s house (${server}), through the admin credentials Argo CD holds for it`),
      ].join(' and ')}`,
      exactDestinationsFix(context),
    ),
  );
}

function platformFindings(context: ProjectContext, reachable: string[]): Finding[] {
  const { options, ownerOfNamespace } = context;
  const findings: Finding[] = [];
  if (reachable.includes(options.argocdNamespace)) {
    findings.push(
      projectFinding(
        context,
        'project-destination-argocd',
        `${whose(context)} can deploy into the Argo CD namespace ${options.argocdNamespace} (its Applications, projects and repository secrets)`,
        exactDestinationsFix(context),
      ),
    );
  }
  const platform = reachable.filter(
    (namespace) =>
      namespace !== options.argocdNamespace && namespace !== futureNamespaceProbe && !ownerOfNamespace.has(namespace),
  );
  if (platform.length) {
    findings.push(
      projectFinding(
        context,
        'project-destination-platform',
        `${whose(context)} can deploy into namespace(s) that are no tenant's: ${platform.join(', ')}`,
        exactDestinationsFix(context),
      ),
    );
  }
  if (reachable.includes(futureNamespaceProbe)) {
    const patterns = (context.spec.destinations ?? []).map((d) => d.namespace ?? '').filter((n) => /[*?[{!]/.test(n));
    findings.push(
      projectFinding(
        context,
        'project-destination-any-namespace',
        `${whose(context)} can deploy into any namespace created later (patterns: ${patterns.join(', ') || 'none'})`,
        exactDestinationsFix(context),
      ),
    );
  }
  return findings;
}

function anyClusterFindings(context: ProjectContext, namespace: string): Finding[] {
  if (!permits(context, namespace, 'https://landlord-audit.invalid:6443')) return [];
  return [
    projectFinding(
      context,
      'project-destination-any-cluster',
      `${whose(context)} can deploy to other clusters (a server or name pattern matches any cluster)`,
      `name the one cluster exactly: server ${context.options.destinationServer}`,
    ),
  ];
}

function checkSources(context: ProjectContext): Finding[] {
  if (!isSourcePermitted(context.spec, anyRepositoryProbe)) return [];
  return [
    projectFinding(
      context,
      'project-source-any-repo',
      `${whose(context)} accepts any Git repository (sourceRepos: ${JSON.stringify(context.spec.sourceRepos)})`,
      context.tenant && isHouseProject(context.project.metadata.name, context.tenant)
        ? `list only the platform's vCluster chart repository in sourceRepos: ${context.options.houses.chartRepoURL}`
        : "list only the team's own repository in sourceRepos",
    ),
  ];
}

function checkKinds(context: ProjectContext): Finding[] {
  const findings: Finding[] = [];
  const clusterKinds = sensitiveClusterKinds.filter((kind) => isGroupKindPermitted(context.spec, kind, false));
  if (clusterKinds.length) {
    findings.push(
      projectFinding(
        context,
        'project-cluster-resources',
        `${whose(context)} may create cluster-scoped ${clusterKinds.map((k) => k.kind).join(', ')}`,
        'set clusterResourceWhitelist to [] and clusterResourceBlacklist to [{group: "*", kind: "*"}]',
      ),
    );
  }
  const platformKinds = deniedNamespacedKinds.filter((kind) => isGroupKindPermitted(context.spec, kind, true));
  if (platformKinds.length) {
    findings.push(
      projectFinding(
        context,
        'project-namespaced-platform-kinds',
        `${whose(context)} may deploy the platform's own kinds ${platformKinds.map((k) => k.kind).join(', ')} (raise its quota, open its network, create Argo CD apps)`,
        `add them to namespaceResourceBlacklist: ${platformKinds.map((k) => `${k.group || 'core'}/${k.kind}`).join(', ')}`,
      ),
    );
  }
  return findings;
}

function checkSourceNamespaces(context: ProjectContext): Finding[] {
  const own = context.tenant?.namespaces ?? new Set<string>();
  const foreign = [...context.candidates].filter(
    (namespace) =>
      !own.has(namespace) &&
      namespace !== context.options.argocdNamespace &&
      isSourceNamespacePermitted(context.spec, namespace, context.options.argocdNamespace),
  );
  if (!foreign.length) return [];
  return [
    projectFinding(
      context,
      'project-source-namespaces',
      `Applications in ${foreign.join(', ')} may use ${whose(context)}`,
      "list only the tenant's own namespaces in sourceNamespaces",
    ),
  ];
}

function checkPlatformProject(
  project: AuditedObject,
  spec: AppProjectSpec,
  candidates: Set<string>,
  options: AuditOptions,
): Finding[] {
  const foreign = [...candidates].filter(
    (namespace) =>
      namespace !== options.argocdNamespace && isSourceNamespacePermitted(spec, namespace, options.argocdNamespace),
  );
  if (!foreign.length) return [];
  return [
    {
      severity: 'high',
      rule: 'platform-project-source-namespaces',
      object: describeObject(project),
      message: `Applications in ${foreign.join(', ')} may use the platform's project and its rights`,
      fix: `set sourceNamespaces to [] (platform Applications live in ${options.argocdNamespace} only)`,
    },
  ];
}

function projectFinding(context: ProjectContext, rule: string, message: string, fix: string): Finding {
  return {
    severity: 'high',
    rule,
    object: describeObject(context.project),
    ...(context.tenant ? { tenant: context.tenant.name } : {}),
    message,
    fix,
  };
}

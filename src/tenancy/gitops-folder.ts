import { stringify } from 'yaml';
import type { Tenant } from '../api/tenant.ts';
import { buildDesiredState } from './desired-state.ts';
import type { Manifest } from './manifest.ts';
import type { PlatformConfig } from '../api/platform-config.ts';

/** The file (under teams/<team>/) an object belongs in, after the article's platform-config layout. */
function fileFor(object: Manifest, tenant: Tenant): string {
  switch (object.kind) {
    case 'Namespace':
      return 'namespace.yaml';
    case 'ResourceQuota':
      return 'resource-quotas.yaml';
    case 'LimitRange':
      return 'limit-ranges.yaml';
    case 'NetworkPolicy':
      return `network-policy-${object.metadata.name}.yaml`;
    case 'ServiceAccount':
    case 'RoleBinding':
      return 'rbac.yaml';
    case 'AppProject':
      return `argocd-project-${tenant.spec.teamName}.yaml`;
    case 'Application':
      return 'application-initializer.yaml';
    case 'Secret':
      return 'gitrepository.yaml';
    default:
      throw new Error(`no file of the GitOps folder holds a ${object.kind}`);
  }
}

/**
 * The GitOps folder of one tenant: path (relative to the platform-config root) to YAML text, from the same
 * builders the operator applies. Deterministic: the same tenant and platform give the same bytes.
 */
export function renderTenantFolder(tenant: Tenant, platform: PlatformConfig): Map<string, string> {
  const byFile = new Map<string, Manifest[]>();
  for (const object of buildDesiredState(tenant, platform).flatMap((part) => part.objects)) {
    const file = `teams/${tenant.spec.teamName}/${fileFor(object, tenant)}`;
    byFile.set(file, [...(byFile.get(file) ?? []), object]);
  }
  const header = `# Rendered by \`landlord render\` from Tenant ${tenant.metadata.name}. Do not edit: change the Tenant.\n`;
  return new Map(
    [...byFile].map(([file, objects]) => [
      file,
      header + objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n'),
    ]),
  );
}

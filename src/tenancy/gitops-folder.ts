import { stringify } from 'yaml';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { Concern } from './concern.ts';
import { tenantConcerns } from './concerns.ts';
import { buildDesiredState } from './desired-state.ts';
import type { Manifest } from './manifest.ts';

/**
 * The GitOps folder of one tenant: path (relative to the platform-config root) to YAML text, from the same
 * builders the operator applies, each concern naming its files after the article's platform-config layout.
 * Deterministic: the same tenant and platform give the same bytes.
 */
export function renderTenantFolder(
  tenant: Tenant,
  platform: PlatformConfig,
  concerns: readonly Concern[] = tenantConcerns,
): Map<string, string> {
  const byFile = new Map<string, Manifest[]>();
  for (const { concern, objects } of buildDesiredState(tenant, platform, concerns)) {
    for (const object of objects) {
      const file = `teams/${tenant.spec.teamName}/${concern.file(object, tenant)}`;
      byFile.set(file, [...(byFile.get(file) ?? []), object]);
    }
  }
  const header = `# Rendered by \`landlord render\` from Tenant ${tenant.metadata.name}. Do not edit: change the Tenant.\n`;
  return new Map(
    [...byFile].map(([file, objects]) => [
      file,
      header + objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n'),
    ]),
  );
}

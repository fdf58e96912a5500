import { stringify } from 'yaml';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';
import type { Concern } from './concern.ts';
import { tenantConcerns } from './concerns.ts';
import { buildDesiredState } from './desired-state.ts';
import type { Manifest } from './manifest.ts';
import { isHouse } from './house/is-house.ts';
import { houseFolder } from './house/layout.ts';

/** The folder of a tenant in the rendered layout: `teams/<team>`, or `vclusters/<team>` for a house. */
export function tenantFolder(tenant: Tenant): string {
  return isHouse(tenant) ? houseFolder(tenant.spec.teamName) : `teams/${tenant.spec.teamName}`;
}

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
      const file = `${tenantFolder(tenant)}/${concern.file(object, tenant)}`;
      byFile.set(file, [...(byFile.get(file) ?? []), object]);
    }
  }
  const header = `# Rendered by \`landlord render\` from Tenant ${tenant.metadata.name}. Do not edit: change the Tenant.\n`;
  const files = new Map(
    [...byFile].map(([file, objects]) => [
      file,
      header + objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n'),
    ]),
  );
  const values = isHouse(tenant)
    ? houseValuesOf(byFile.get(`${tenantFolder(tenant)}/vcluster-application.yaml`))
    : undefined;
  if (values) files.set(`${tenantFolder(tenant)}/values.yaml`, header + stringify(values, { lineWidth: 0 }));
  return files;
}

/** The chart values of a house's Application, the article's values.yaml beside it. */
function houseValuesOf(objects: Manifest[] | undefined): unknown {
  const spec = objects?.[0]?.spec as { source?: { helm?: { valuesObject?: unknown } } } | undefined;
  return spec?.source?.helm?.valuesObject;
}

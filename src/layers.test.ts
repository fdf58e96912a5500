import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = join(import.meta.dirname, '..');

/** The violations `npm run lint` would report for these folders under baseDir, as "rule: from -> to". */
async function violations(baseDir: string, folders: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(root, '.dependency-cruiser.js'));
  const tsConfig = extractTSConfig(join(root, 'tsconfig.json'));
  const { output } = await cruise(folders, { ...options, baseDir, outputType: 'json' }, undefined, { tsConfig });
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  return result.summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`);
}

describe('the layer rules (.dependency-cruiser.js)', () => {
  it('report every kind of violation, each by its rule, in a tree that breaks them on purpose', async () => {
    const found = await violations(join(root, 'test', 'fixtures', 'layers'), ['src', 'web/src']);
    assert.deepEqual(found.sort(), [
      'cli-reaches-dev-lazily: src/cli/eager-dev-command.ts -> src/dev/local-tool.ts',
      'integrations-import-no-operator: src/integrations/provider-with-queue.ts -> src/operator/queue-depth.ts',
      'kube-knows-no-tenant: src/kube/tenant-aware-client.ts -> src/api/tenant-type.ts',
      'no-circular: src/portal/session-routes.ts -> src/portal/session-store.ts',
      'only-the-cli-reaches-dev: src/portal/uses-dev.ts -> src/dev/local-tool.ts',
      'operator-imports-no-portal: src/operator/event-reason.ts -> src/portal/page-title.ts',
      'portal-imports-no-operator: src/portal/status-page.ts -> src/operator/queue-depth.ts',
      'product-needs-no-dev-dependency: src/portal/renders-react.ts -> ../../../node_modules/react/index.js',
      'pure-layers-do-no-io: src/tenancy/quota-from-cluster.ts -> fs',
      'pure-layers-import-no-outer-layer: src/tenancy/quota-from-cluster.ts -> src/kube/cluster-client.ts',
      'web-imports-only-api-from-src: web/src/tenant-list.ts -> src/kube/cluster-client.ts',
      'web-imports-only-types-from-server: web/src/tenant-list.ts -> src/api/tenant-type.ts',
      'web-imports-only-types-from-server: web/src/tenant-list.ts -> src/kube/cluster-client.ts',
    ]);
  });

  it("find nothing in the project's own code", async () => {
    assert.deepEqual(await violations(root, ['src', 'test', 'bench', 'web/src']), []);
  });
});

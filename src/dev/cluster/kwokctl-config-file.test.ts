import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { assertClusterConfigCurrent, StaleClusterError, writeKwokctlConfigFile } from './kwokctl-config-file.ts';

const workdir = mkdtempSync(join(tmpdir(), 'kwokctl-config-file-'));
after(() => rmSync(workdir, { recursive: true, force: true }));

it('accepts a cluster created from the configuration rendered today', () => {
  const cluster = { name: 'same', basePort: 21000, workdir };
  writeKwokctlConfigFile(cluster, 'kind: KwokctlConfiguration\n');
  assert.doesNotThrow(() => assertClusterConfigCurrent(cluster, 'kind: KwokctlConfiguration\n'));
});

it('refuses a cluster created from another configuration (older stages) and says how to recreate it', () => {
  const cluster = { name: 'older', basePort: 21000, workdir };
  writeKwokctlConfigFile(cluster, 'kind: KwokctlConfiguration\n');
  assert.throws(
    () => assertClusterConfigCurrent(cluster, 'kind: KwokctlConfiguration\n---\nkind: Stage\n'),
    (error: Error) =>
      error instanceof StaleClusterError && /older/.test(error.message) && /landlord dev down/.test(error.message),
  );
});

it('refuses a cluster whose configuration is unknown', () => {
  assert.throws(
    () => assertClusterConfigCurrent({ name: 'unknown', basePort: 21000, workdir }, 'x'),
    StaleClusterError,
  );
});

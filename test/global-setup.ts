// Creates one real environment (cluster, Argo CD, Git) for the whole integration run, on ports of its own, and
// removes it afterwards.
import { defaultPlatformConfig } from '../src/api/platform-config.ts';
import { listClusters } from '../src/dev/cluster/kwokctl.ts';
import { environmentDown, environmentUp } from '../src/dev/environment.ts';
import { kubeconfigPath, kwokWorkdir, type LocalCluster, portsPerCluster } from '../src/dev/cluster/local-cluster.ts';
import { freePortBlock } from '../src/dev/cluster/ports.ts';
import { ensureTools } from '../src/dev/tools/build.ts';
import { ensureSystemPrograms } from '../src/dev/tools/system-packages.ts';
import { browserProgram } from './support/browser.ts';
import { formatDuration } from '../src/util/duration.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
let cluster: LocalCluster | undefined;

export async function globalSetup(): Promise<void> {
  // A fresh machine builds the upstream tools here first (about 26 minutes on 2 cores, docs/ARCHITECTURE.md "Measured").
  await ensureTools(log);
  // The portal's browser tests drive Debian's Chromium (no browser download: this machine has no internet).
  ensureSystemPrograms(log, [browserProgram]);
  await removeAbandonedTestClusters();
  const basePort = await freePortBlock(portsPerCluster);
  cluster = { name: `landlord-test-${process.pid}`, basePort, workdir: kwokWorkdir() };
  const started = Date.now();
  // Sessions shorter than the default hour, so the SSO e2e tells the platform's bound from Dex's own default.
  const platform = { ...defaultPlatformConfig, sso: { ...defaultPlatformConfig.sso, sessionMinutes: 15 } };
  const environment = await environmentUp(cluster, log, { users: [], platform });
  log(`[test] environment ${cluster.name} up on 127.0.0.1:${basePort} in ${formatDuration(Date.now() - started)}`);
  // Test files run in child processes: they find the cluster and Argo CD through the environment variables.
  process.env.LANDLORD_TEST_CLUSTER = JSON.stringify(cluster);
  process.env.LANDLORD_TEST_ENVIRONMENT = JSON.stringify(environment);
  process.env.LANDLORD_TEST_KUBECONFIG = kubeconfigPath(cluster);
}

export async function globalTeardown(): Promise<void> {
  if (cluster && !process.env.LANDLORD_TEST_KEEP_CLUSTER) await environmentDown(cluster, log);
}

/** Clusters of earlier runs whose process died (killed, timed out) would hold ports and memory forever. */
async function removeAbandonedTestClusters(): Promise<void> {
  const probe: LocalCluster = { name: 'probe', basePort: 0, workdir: kwokWorkdir() };
  for (const name of await listClusters(probe)) {
    const pid = Number(name.match(/^landlord-test-(\d+)$/)?.[1]);
    if (!pid || isAlive(pid)) continue;
    log(`[test] removing ${name}, left behind by a run that died`);
    await environmentDown({ ...probe, name }, log);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after } from 'node:test';
import { operatorAccount, operatorKubeconfigPath } from '../../src/dev/admission.ts';
import { freePort } from '../../src/dev/cluster/ports.ts';
import { dexApiFlags } from '../../src/dev/identity/lifecycle.ts';
import { ensureNamespace, testCluster, testEnvironment } from './cluster.ts';
import { waitFor } from './wait.ts';
import { scrapeMetric } from './scrape.ts';

const landlord = join(import.meta.dirname, '..', '..', 'bin', 'landlord');

/** A `landlord operator` process against the test cluster, as a replica would run in production (as its account). */
export interface OperatorProcess {
  identity: string;
  child: ChildProcess;
  /** The value of a metric (summed over its labels), read from the replica's /metrics. */
  metric: (name: string) => Promise<number>;
  output: () => string;
}

/**
 * Starts `landlord operator` with its defaults (lease in landlord-system), listening on a free port, with the local
 * Dex's API (--dex-api and its mutual TLS files); `extraArgs` such as `--platform-config <file>` follow.
 */
export async function spawnOperator(identity: string, extraArgs: string[] = []): Promise<OperatorProcess> {
  const { cluster, http } = testCluster();
  // The lease's default namespace, which an installation has (the operator runs there).
  await ensureNamespace(http, 'landlord-system');
  const port = await freePort();
  const args = [
    ...['operator', '--kubeconfig', operatorKubeconfigPath(cluster), '--listen', `127.0.0.1:${port}`],
    ...['--identity', identity, '--lease-namespace', operatorAccount.namespace],
    ...dexApiFlags(testEnvironment().identity.api),
    ...extraArgs,
  ];
  const child = spawn(landlord, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const metric = (name: string) => scrapeMetric(port, name);
  await waitFor(
    async () =>
      fetch(`http://127.0.0.1:${port}/healthz`)
        .then((res) => res.ok)
        .catch(() => false),
    `operator ${identity} to listen`,
  );
  return { identity, child, metric, output: () => output };
}

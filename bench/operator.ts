// The operator as the benchmarks run it: as in production, through bin/landlord, against a bench cluster.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../src/dev/cluster/ports.ts';
import { scrapeMetric } from '../test/support/scrape.ts';
import { until } from './support.ts';

/** A running operator process and a reader of its /metrics. */
export interface BenchOperator {
  child: ChildProcess;
  metric: (name: string) => Promise<number>;
}

/** Starts `landlord operator` on the kubeconfig and waits until it leads (bin/landlord sets its Node flags). */
export async function startBenchOperator(
  kubeconfig: string,
  settings: {
    workers: number;
    resyncSeconds: number;
    nodeFlags?: string[];
    /** Where it may hold its lease (default: the bench cluster's `default`) and its platform settings file. */
    leaseNamespace?: string;
    platformConfig?: string;
    /** More flags of `landlord operator` (the local Dex's client registry, say). */
    extraArgs?: string[];
  },
): Promise<BenchOperator> {
  const port = await freePort();
  const landlord = join(import.meta.dirname, '..', 'bin', 'landlord');
  const args = [
    'operator',
    '--kubeconfig',
    kubeconfig,
    '--listen',
    `127.0.0.1:${port}`,
    '--workers',
    String(settings.workers),
    '--resync-seconds',
    String(settings.resyncSeconds),
    // The bench cluster has no landlord-system namespace (the operator's default for its lease).
    '--lease-namespace',
    settings.leaseNamespace ?? 'default',
    ...(settings.platformConfig ? ['--platform-config', settings.platformConfig] : []),
    ...(settings.extraArgs ?? []),
  ];
  const env = { ...process.env, NODE_OPTIONS: (settings.nodeFlags ?? []).join(' ') };
  const child = spawn(landlord, args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  const metric = (name: string) => scrapeMetric(port, name);
  await until(async () => (await metric('landlord_leader').catch(() => 0)) === 1, 60_000);
  return { child, metric };
}

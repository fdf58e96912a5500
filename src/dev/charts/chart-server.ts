import { join } from 'node:path';
import { environmentDir, environmentPorts, type LocalCluster } from '../cluster/local-cluster.ts';
import {
  runningPid,
  startBackground,
  stopBackground,
  tailOfLog,
  type ProcessSpec,
} from '../processes/background-process.ts';
import { waitForPort } from '../processes/wait-for-port.ts';
import { chartRepositoryDir, ensureChartRepository } from './chart-repository.ts';

type Log = (line: string) => void;

const serverDir = (cluster: LocalCluster) => join(environmentDir(cluster), 'chart-repository');

const serverSpec = (cluster: LocalCluster): ProcessSpec => ({
  name: 'chart-repository',
  command: process.execPath,
  args: [
    join(import.meta.dirname, 'chart-server-main.ts'),
    chartRepositoryDir(),
    String(environmentPorts(cluster).chartRepository),
  ],
});

/** Packages the vCluster chart if needed and serves it on loopback as a background process of the environment. */
export async function ensureChartServer(cluster: LocalCluster, log: Log): Promise<void> {
  ensureChartRepository(log);
  const spec = serverSpec(cluster);
  if (runningPid(serverDir(cluster), spec)) return;
  startBackground(serverDir(cluster), spec);
  const up = await waitForPort(
    environmentPorts(cluster).chartRepository,
    15_000,
    () => !runningPid(serverDir(cluster), spec),
  );
  if (!up)
    throw new Error(`the local chart repository did not start; its log:\n${tailOfLog(serverDir(cluster), spec.name)}`);
  log(`[charts] serving the vCluster chart on 127.0.0.1:${environmentPorts(cluster).chartRepository}`);
}

/** Stops the chart repository's server, if it runs. */
export async function stopChartServer(cluster: LocalCluster): Promise<void> {
  await stopBackground(serverDir(cluster), serverSpec(cluster));
}

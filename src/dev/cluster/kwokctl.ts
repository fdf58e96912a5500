import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { binaryPath } from '../tools/cache.ts';
import type { LocalCluster } from './local-cluster.ts';

const run = promisify(execFile);

/** Raised when kwokctl fails; carries what kwokctl said. */
export class KwokctlError extends Error {
  override name = 'KwokctlError';
}

/** Runs kwokctl on Landlord's work directory, with the built kubectl first on PATH (kwokctl calls it). */
export async function kwokctl(cluster: LocalCluster, args: string[], timeoutMs = 180_000): Promise<string> {
  const env = {
    ...process.env,
    KWOK_WORKDIR: cluster.workdir,
    PATH: `${dirname(binaryPath('kubectl'))}:${process.env.PATH ?? ''}`,
  };
  try {
    const { stdout } = await run(binaryPath('kwokctl'), args, { env, timeout: timeoutMs, maxBuffer: 16 << 20 });
    return stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new KwokctlError(`kwokctl ${args.join(' ')} failed: ${(stderr || message).trim()}`);
  }
}

/** The names of the clusters kwokctl knows in Landlord's work directory. */
export async function listClusters(cluster: LocalCluster): Promise<string[]> {
  const output = await kwokctl(cluster, ['get', 'clusters']);
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { environmentPorts, type LocalCluster } from '../cluster/local-cluster.ts';
import { binaryPath, cacheRoot } from '../tools/cache.ts';
import { pinnedVersion, toolNamed, toolsModulesDir } from '../tools/upstream-tools.ts';

type Log = (line: string) => void;

/** The vCluster chart version the local repository serves: the pinned vCluster's own (0.36.1). */
export function localChartVersion(): string {
  return pinnedVersion(toolNamed('vcluster')).replace(/^v/, '');
}

/** The folder the local chart repository serves (index.yaml and the packaged chart), kept in the cache per version. */
export function chartRepositoryDir(): string {
  return join(cacheRoot(), 'charts', `vcluster-${localChartVersion()}`);
}

/** The local chart repository's URL, on loopback, as Helm, Argo CD and the platform configuration name it. */
export function chartRepositoryURL(cluster: LocalCluster): string {
  return `http://127.0.0.1:${environmentPorts(cluster).chartRepository}`;
}

/** Where the Go module cache holds the pinned vCluster module, whose chart/ folder is the chart (downloaded if needed). */
export function vclusterModuleDir(): string {
  const output = execFileSync('go', ['mod', 'download', '-json', 'github.com/loft-sh/vcluster'], {
    cwd: join(toolsModulesDir, 'vcluster'),
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
  });
  return (JSON.parse(output) as { Dir: string }).Dir;
}

/**
 * Packages the chart that ships in the pinned vCluster module, stamped with its release (the module says 0.0.1,
 * its release pipeline stamps the rest), and indexes it: done once per version, skipped when already there.
 */
export function ensureChartRepository(log: Log): string {
  const dir = chartRepositoryDir();
  if (existsSync(join(dir, 'index.yaml'))) return dir;
  const version = localChartVersion();
  log(`[charts] packaging the vCluster chart ${version} from its Go module`);
  // Built beside the final folder and renamed at the end, so an interrupted run never looks finished.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const helm = binaryPath('helm');
  const chart = join(vclusterModuleDir(), 'chart');
  execFileSync(helm, ['package', chart, '--version', version, '--app-version', version, '--destination', partial], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Relative chart URLs in the index: the repository answers on whatever port its environment has.
  execFileSync(helm, ['repo', 'index', partial], { stdio: ['ignore', 'ignore', 'pipe'] });
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(`[charts] ${readdirSync(dir).join(', ')} in ${dir}`);
  return dir;
}

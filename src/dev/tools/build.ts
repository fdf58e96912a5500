import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration } from '../../util/duration.ts';
import { isBuilt, toolDir } from './cache.ts';
import { copyModuleAssets } from './module-assets.ts';
import { goProblem, memoryProblem } from './preflight.ts';
import { pinnedVersion, type ToolBinary, toolsModulesDir, type UpstreamTool, upstreamTools } from './upstream-tools.ts';

/** Raised when a tool cannot be built; the message says why and what to do. */
export class ToolBuildError extends Error {
  override name = 'ToolBuildError';
}

/** What one build did, for the progress report and the measurements in the docs. */
export interface BuildReport {
  tool: string;
  version: string;
  built: boolean;
  seconds: number;
}

type Log = (line: string) => void;
const progressEverySeconds = 15;

/** Builds whatever upstream tools (all, or those given) are missing from the cache, one binary at a time. */
export async function ensureTools(
  log: Log = (line) => process.stderr.write(`${line}\n`),
  tools: UpstreamTool[] = upstreamTools,
): Promise<BuildReport[]> {
  const reports: BuildReport[] = [];
  for (const tool of tools) {
    const version = tool.release ? `${tool.release} (${pinnedVersion(tool)})` : pinnedVersion(tool);
    if (isBuilt(tool)) {
      reports.push({ tool: tool.name, version, built: false, seconds: 0 });
      continue;
    }
    const started = Date.now();
    await buildTool(tool, pinnedVersion(tool), log);
    reports.push({ tool: tool.name, version, built: true, seconds: (Date.now() - started) / 1000 });
  }
  return reports;
}

async function buildTool(tool: UpstreamTool, version: string, log: Log): Promise<void> {
  const problem = goProblem() ?? memoryProblem(tool.memoryGiB, `${tool.name} ${version}`);
  if (problem) throw new ToolBuildError(problem);
  const finalDir = toolDir(tool);
  // Build beside the cache entry and rename at the end, so an interrupted build never looks finished.
  const partialDir = `${finalDir}.partial`;
  rmSync(partialDir, { recursive: true, force: true });
  mkdirSync(partialDir, { recursive: true });
  for (const binary of tool.binaries) {
    await buildBinary(tool, version, binary, join(partialDir, binary.name), log);
  }
  if (tool.assets?.length) copyModuleAssets(tool, tool.assets, partialDir);
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(partialDir, finalDir);
}

function buildBinary(tool: UpstreamTool, version: string, binary: ToolBinary, output: string, log: Log) {
  const args = ['build', '-trimpath', '-o', output];
  if (tool.buildTags?.length) args.push('-tags', tool.buildTags.join(','));
  args.push('-ldflags', ['-s', '-w', ...(tool.ldflags?.(version) ?? [])].join(' '), binary.goPackage);
  const label = `${binary.name} (${tool.module} ${version})`;
  log(`[tools] building ${label}`);
  const started = Date.now();
  const ticker = setInterval(
    () => log(`[tools]   ${binary.name}: ${formatDuration(Date.now() - started)} elapsed`),
    progressEverySeconds * 1000,
  );
  return new Promise<void>((resolve, reject) => {
    const child = spawn('go', args, {
      cwd: join(toolsModulesDir, tool.name),
      env: { ...process.env, CGO_ENABLED: tool.cgo ? '1' : '0', GOFLAGS: '-mod=readonly' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (error) => {
      clearInterval(ticker);
      reject(new ToolBuildError(`could not run go to build ${label}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) {
        log(`[tools] built ${binary.name} in ${formatDuration(Date.now() - started)}`);
        resolve();
      } else {
        reject(new ToolBuildError(`go build of ${label} failed (exit ${code}):\n${stderr.trim()}`));
      }
    });
  });
}

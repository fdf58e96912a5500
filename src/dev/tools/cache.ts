import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pinnedVersion, toolOfBinary, toolsModulesDir, type UpstreamTool } from './upstream-tools.ts';

/** Landlord's cache, outside the repository: built tools and local clusters live here. */
export function cacheRoot(): string {
  if (process.env.LANDLORD_CACHE_DIR) return process.env.LANDLORD_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'landlord');
}

/**
 * Where one tool's binaries go: keyed by its pinned version, plus a digest of its go.mod and go.sum so that a
 * changed dependency or replace block is rebuilt too.
 */
export function toolDir(tool: UpstreamTool): string {
  const moduleDir = join(toolsModulesDir, tool.name);
  const digest = createHash('sha256')
    .update(readFileSync(join(moduleDir, 'go.mod')))
    .update(readFileSync(join(moduleDir, 'go.sum')))
    .digest('hex')
    .slice(0, 10);
  return join(cacheRoot(), 'tools', `${tool.name}-${pinnedVersion(tool)}-${digest}`);
}

/** The path of a built binary, such as kube-apiserver. */
export function binaryPath(binary: string): string {
  return join(toolDir(toolOfBinary(binary)), binary);
}

/** Whether every binary of the tool, and every folder it reads at run time, is already in the cache. */
export function isBuilt(tool: UpstreamTool): boolean {
  const dir = toolDir(tool);
  return [...tool.binaries.map((binary) => binary.name), ...(tool.assets ?? [])].every((name) =>
    existsSync(join(dir, name)),
  );
}

import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toolsModulesDir, type UpstreamTool } from './upstream-tools.ts';

/** Where Go keeps the tool's upstream module (downloaded by the build), as its own go.mod resolves it. */
function moduleDir(tool: UpstreamTool): string {
  return execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', tool.module], {
    cwd: join(toolsModulesDir, tool.name),
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
    encoding: 'utf8',
  }).trim();
}

/**
 * Copies folders of the upstream module the binaries read at run time into the tool's cache entry. Go's module
 * cache is read-only: the copies are made writable by their owner, so the cache entry can be replaced later.
 */
export function copyModuleAssets(tool: UpstreamTool, folders: string[], into: string): void {
  const source = moduleDir(tool);
  for (const folder of folders) {
    cpSync(join(source, folder), join(into, folder), { recursive: true });
    chmodSync(join(into, folder), 0o755);
    for (const entry of readdirSync(join(into, folder), { recursive: true, withFileTypes: true })) {
      chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
    }
  }
}

// npm run bench [-- options]: every benchmark in turn, each in its own process, with the same arguments.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

for (const bench of ['tenants.ts', 'portal.ts', 'node-pools.ts', 'houses.ts', 'git-factory.ts']) {
  const result = spawnSync(process.execPath, [join(import.meta.dirname, bench), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

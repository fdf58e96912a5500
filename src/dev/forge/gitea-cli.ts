import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binaryPath } from '../tools/cache.ts';

const run = promisify(execFile);

/** The local Gitea's app.ini, in its folder. */
export const giteaConfigFile = (dir: string) => join(dir, 'app.ini');

/** The arguments every Gitea command of this environment starts with: its app.ini and its folder. */
export const giteaBaseArgs = (dir: string) => ['--config', giteaConfigFile(dir), '--work-path', dir];

/**
 * Runs one Gitea command (`admin user list`, `migrate`...) against the environment's database and returns its
 * output. A failure names the command and quotes its stderr only: stdout may hold a token.
 */
export async function giteaCommand(dir: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(binaryPath('gitea'), [...giteaBaseArgs(dir), ...args], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    return withoutLogLines(stdout);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? (error as Error).message;
    // No `cause`: the caught error carries the command's stdout, which may hold a token, into any log that prints it.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`gitea ${args.slice(0, 3).join(' ')} failed: ${stderr.split('\n').slice(-10).join('\n')}`);
  }
}

/** The command's own output: Gitea's console log lines (such as its warning about running as root) dropped. */
export function withoutLogLines(stdout: string): string {
  return stdout
    .split('\n')
    .filter((line) => !/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /.test(line))
    .join('\n');
}

/** The rows of the table `gitea admin auth list --vertical-bars` prints (columns between bars, a header first). */
export function parseGiteaTable(output: string): Record<string, string>[] {
  const [header, ...rows] = output.split('\n').filter((line) => line.trim() !== '');
  if (!header) return [];
  const columns = header.split('|').map((column) => column.trim());
  return rows.map((row) => {
    const cells = row.split('|').map((cell) => cell.trim());
    return Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));
  });
}

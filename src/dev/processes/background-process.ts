import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A long-running local process the environment starts, such as redis or an Argo CD component. */
export interface ProcessSpec {
  /** Unique within its folder: names the pid and log files. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

const pidFile = (dir: string, name: string) => join(dir, `${name}.pid`);
/** Where a background process writes its output. */
export const logFile = (dir: string, name: string) => join(dir, `${name}.log`);

/**
 * The pid of the process if it still runs. Its executable is checked too, so a pid the kernel has since given
 * to another program is never mistaken for ours (and never signalled). The command line is not: some
 * programs (redis) rewrite it.
 */
export function runningPid(dir: string, spec: Pick<ProcessSpec, 'name' | 'command'>): number | undefined {
  const file = pidFile(dir, spec.name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    // A binary replaced since (a rebuild, a package upgrade) reads as "<path> (deleted)": still ours.
    const executable = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
    return executable === realpathSync(spec.command) && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the process detached from this one (it outlives `landlord dev up`), output appended to its log. */
export function startBackground(dir: string, spec: ProcessSpec): number {
  mkdirSync(dir, { recursive: true });
  const output = openSync(logFile(dir, spec.name), 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd ?? dir,
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', output, output],
    });
    if (!child.pid) throw new Error(`could not start ${spec.name} (${spec.command})`);
    child.unref();
    writeFileSync(pidFile(dir, spec.name), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(output);
  }
}

/** Stops the process: SIGTERM, then SIGKILL after the grace period. Not running is not an error. */
export async function stopBackground(dir: string, spec: Pick<ProcessSpec, 'name' | 'command'>, graceMs = 10_000) {
  const pid = runningPid(dir, spec);
  if (pid) {
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) signal(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
  rmSync(pidFile(dir, spec.name), { force: true });
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0); its /proc state says it is done.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The last lines a process wrote, for an error message when it does not come up. */
export function tailOfLog(dir: string, name: string, lines = 15): string {
  const file = logFile(dir, name);
  if (!existsSync(file)) return '(no output)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

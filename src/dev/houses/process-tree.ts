import { readdirSync, readFileSync } from 'node:fs';

/** The children of a process, from /proc: each thread lists those it started (Go starts them from any thread). */
function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
      const listed = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      return listed === '' ? [] : listed.split(/\s+/).map(Number);
    });
  } catch {
    return [];
  }
}

/** The process and all its descendants, as seen now. */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i] as number));
  return all.filter(isRunning);
}

/** Whether the process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Resident memory of one process in bytes (0 once gone). */
function residentBytes(pid: number): number {
  try {
    const kib = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)?.[1];
    return Number(kib ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** One process tree's programs and their resident memory: what a house costs this machine. */
export function treeMemory(pid: number): {
  processes: { pid: number; program: string; bytes: number }[];
  bytes: number;
} {
  const processes = processTree(pid).map((each) => ({
    pid: each,
    program: programName(each),
    bytes: residentBytes(each),
  }));
  return { processes, bytes: processes.reduce((sum, each) => sum + each.bytes, 0) };
}

/** The program a process runs (its comm), or ? once gone. */
export function programName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

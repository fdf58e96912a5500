import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Go version the tool modules need (their go directive). */
const minimumGo = [1, 26];

/** What `go version` prints on this machine, or undefined when there is no Go on PATH. */
export function installedGoVersion(): string | undefined {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
}

/** The reason this machine cannot build the tools, or undefined when it can. */
export function goProblem(): string | undefined {
  return goVersionProblem(installedGoVersion());
}

/** The reason a Go (what its `go version` printed; undefined: none) cannot build the tools, or undefined. */
export function goVersionProblem(goVersion: string | undefined): string | undefined {
  if (goVersion === undefined) {
    return 'Go is not installed or not on PATH: the upstream tools are built from their Go modules. Install Go >= 1.26 (https://go.dev/doc/install or Debian backports) and try again.';
  }
  const match = goVersion.match(/go(\d+)\.(\d+)/);
  const [major, minor] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || major < (minimumGo[0] ?? 1) || (major === minimumGo[0] && minor < (minimumGo[1] ?? 0))) {
    return `Go ${match?.[0] ?? goVersion.trim()} is too old: the tool modules need Go >= ${minimumGo.join('.')}.`;
  }
  return undefined;
}

/** Memory available for new processes, in GiB, from /proc/meminfo (or the given text of it). */
export function availableMemoryGiB(meminfo = readFileSync('/proc/meminfo', 'utf8')): number {
  const kib = Number(meminfo.match(/^MemAvailable:\s+(\d+)\s+kB/m)?.[1] ?? 0);
  return kib / 1024 / 1024;
}

/** The reason there is not enough memory to build, or undefined when there is. */
export function memoryProblem(neededGiB: number, what: string, available = availableMemoryGiB()): string | undefined {
  if (available >= neededGiB) return undefined;
  return `building ${what} needs about ${neededGiB} GiB of free memory; this machine has ${available.toFixed(1)} GiB available. Stop other programs or use a larger machine.`;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { logFile, type ProcessSpec } from '../processes/background-process.ts';
import { type Confinement, confinedScript } from './confinement.ts';
import { isRunning, processTree } from './process-tree.ts';
import { networkNamespacePath } from './network-namespace.ts';

/** What `landlord dev status` sees of one process. */
export interface TetheredState {
  name: string;
  pid?: number;
  restarts: number;
}

const restartBackoffMs = (restarts: number) => Math.min(1000 * 2 ** Math.min(restarts, 6), 60_000);

/**
 * The command line that ties a process to the runner: killed when the runner dies (parent-death signal), in its
 * own PID namespace so that whatever it starts (the repo-server's git, helm, kustomize) dies with it; confined
 * (its own user and network namespace, root's home hidden) when asked.
 */
export function tetheredCommand(
  spec: Pick<ProcessSpec, 'command' | 'args' | 'cwd'>,
  confinement?: Confinement,
): string[] {
  const tether = ['--pdeathsig=KILL', 'unshare', '--pid', '--fork', '--kill-child'];
  if (!confinement) return [...tether, '--', spec.command, ...spec.args];
  // The parent-death signal survives nsenter's exec of unshare: the network namespace is joined first.
  const network = ['--pdeathsig=KILL', 'nsenter', `--net=${networkNamespacePath(confinement.networkNamespace)}`, '--'];
  const confined = ['unshare', '--pid', '--fork', '--kill-child', '--mount', '--propagation=private'];
  return [...network, ...confined, 'sh', '-c', confinedScript(spec, confinement)];
}

/**
 * A process of a house's sidecar (its Argo CD's) run as a kubelet runs a container: started by the runner, restarted
 * with a backoff when it exits, its output appended to `<dir>/<name>.log`, gone with the runner.
 */
export class TetheredProcess {
  readonly state: TetheredState;
  private readonly spec: ProcessSpec;
  private readonly dir: string;
  private readonly changed: () => void;
  private readonly stopping = new AbortController();
  private child: ChildProcess | undefined;
  private loop: Promise<void> | undefined;

  private readonly confinement: Confinement | undefined;

  constructor(spec: ProcessSpec, dir: string, changed: () => void, confinement?: Confinement) {
    this.spec = spec;
    this.confinement = confinement;
    this.dir = dir;
    this.changed = changed;
    this.state = { name: spec.name, restarts: 0 };
  }

  /** Starts it and keeps it running until stopped. */
  start(): void {
    this.loop = this.run();
  }

  /** Whether it has exited since it last started (so it will not answer until restarted). */
  exited(): boolean {
    return !this.child || this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGTERM to its group, SIGKILL after the grace period; then every process it started is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping.abort();
    const child = this.child;
    if (child?.pid && !this.exited()) {
      const tree = processTree(child.pid);
      signalGroup(child.pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (!this.exited() && Date.now() < deadline) await sleep(100);
      signalGroup(child.pid, 'SIGKILL');
      while (tree.some(isRunning)) await sleep(50);
    }
    await this.loop;
    this.state.pid = undefined;
    this.changed();
  }

  private async run(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    while (!this.stopping.signal.aborted) {
      await this.once();
      if (this.stopping.signal.aborted) return;
      this.state.pid = undefined;
      this.changed();
      await sleep(restartBackoffMs(this.state.restarts), undefined, { signal: this.stopping.signal }).catch(
        () => undefined,
      );
      if (this.stopping.signal.aborted) return;
      this.state.restarts++;
    }
  }

  private once(): Promise<string> {
    const output = openSync(logFile(this.dir, this.spec.name), 'a');
    try {
      const home = this.confinement ? { HOME: this.confinement.home } : {};
      const child = spawn(
        'setpriv',
        tetheredCommand({ ...this.spec, cwd: this.spec.cwd ?? this.dir }, this.confinement),
        {
          cwd: this.confinement ? '/' : (this.spec.cwd ?? this.dir),
          env: { ...process.env, ...this.spec.env, ...home },
          detached: true,
          stdio: ['ignore', output, output],
        },
      );
      this.child = child;
      this.state.pid = child.pid;
      this.changed();
      return new Promise((resolve) => {
        child.on('exit', (code, signal) => resolve(signal ?? String(code)));
        child.on('error', (error) => resolve(error.message));
      });
    } finally {
      closeSync(output);
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

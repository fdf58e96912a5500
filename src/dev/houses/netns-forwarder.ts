import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Endpoint } from './socket-bridge.ts';
import { bridgeArg } from './bridge-endpoints.ts';

/** The forwarder's program, run by Node inside the network namespace. */
const program = join(import.meta.dirname, 'netns-forwarder-main.ts');
const restartBackoffMs = (attempt: number) => Math.min(1000 * 2 ** Math.min(attempt, 6), 60_000);

/** One listener inside the namespace and where it leads (a unix socket out of it, or a port inside it). */
export interface Bridge {
  listen: Endpoint;
  target: Endpoint;
}

/**
 * The inside half of a network namespace's loopback bridges: one root process in the namespace (never the
 * namespace's user's), tied to the runner, started again when it exits until stopped.
 */
export class NetnsForwarder {
  private readonly namespace: string;
  private readonly label: string;
  private readonly bridges: Bridge[];
  private readonly log: (line: string) => void;
  private readonly stopping = new AbortController();
  private child: ChildProcess | undefined;

  constructor(namespace: string, label: string, bridges: Bridge[], log: (line: string) => void) {
    this.namespace = namespace;
    this.label = label;
    this.bridges = bridges;
    this.log = log;
  }

  /** Resolves once every listener listens inside the namespace. */
  async start(): Promise<void> {
    const args = ['--pdeathsig=KILL', 'ip', 'netns', 'exec', this.namespace, process.execPath, program, this.label];
    const child = spawn('setpriv', [...args, ...this.bridges.map((each) => bridgeArg(each.listen, each.target))], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the bridge forwarder exited (${code}) before it was ready`)));
    });
    // Without it nothing crosses the namespace's edge: started again, as what it serves is.
    child.once('exit', (code, signal) => void this.restart(signal ?? String(code)));
  }

  /** Ends it for good. */
  stop(): void {
    this.stopping.abort();
    this.child?.kill('SIGKILL');
  }

  private async restart(why: string, attempt = 0): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.log(`${this.namespace}: the bridge forwarder exited (${why}); starting it again`);
    await sleep(restartBackoffMs(attempt), undefined, { signal: this.stopping.signal }).catch(() => undefined);
    if (this.stopping.signal.aborted) return;
    await this.start().catch((error: unknown) =>
      this.restart(String(error instanceof Error ? error.message : error), attempt + 1),
    );
  }
}

import { ExitCode } from './exit-codes.ts';

/** What stopping on signals needs of the process (a test gives its own). */
export interface SignalTarget {
  once(signal: 'SIGTERM' | 'SIGINT', handler: () => void): unknown;
  exit(code: number): void;
}

/** How long a stop may take before the process ends anyway. */
export const stopDeadlineMs = 10_000;

/**
 * Aborts `stop` on the first SIGTERM or SIGINT, and ends the process if stopping then takes longer than the
 * deadline, whatever holds it (an API server that never answers, a connection that never closes). A second
 * Ctrl-C ends it at once, as Node does by default once the handler is gone.
 */
export function stopOnSignals(
  stop: AbortController,
  log: (line: string) => void,
  target: SignalTarget = process,
  deadlineMs = stopDeadlineMs,
): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    target.once(signal, () => {
      if (stop.signal.aborted) return;
      log(`[landlord] ${signal}: stopping (at most ${deadlineMs / 1000} s)`);
      stop.abort();
      const deadline = setTimeout(() => {
        log(`[landlord] not stopped ${deadlineMs / 1000} s after ${signal}: exiting now`);
        target.exit(ExitCode.environment);
      }, deadlineMs);
      // The deadline ends a stop that hangs; it must not keep alive a process that has stopped.
      deadline.unref();
    });
  }
}

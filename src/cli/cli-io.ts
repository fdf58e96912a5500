/** Where a run of the CLI writes: stdout for results (what scripts read), stderr for progress and errors. */
export interface CliStreams {
  out(text: string): void;
  err(text: string): void;
}

/** What a command talks to: its streams, and the exit status it ends with (its output printed all the same). */
export interface CliIo extends CliStreams {
  setExitCode(code: number): void;
}

/** This process's stdout and stderr. */
export const processStreams: CliStreams = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

// Stands in for the house runner running a house's Argo CD: starts one tethered process from the spec given as JSON
// (in the folder given second), prints its PID once started, and lives until killed.
import { TetheredProcess } from '../../src/dev/houses/tethered-process.ts';

const process_ = new TetheredProcess(JSON.parse(process.argv[2] ?? '{}'), process.argv[3] ?? '.', () => {
  if (process_.state.pid) process.stdout.write(`${process_.state.pid}\n`);
});
process_.start();
setInterval(() => {}, 60_000);

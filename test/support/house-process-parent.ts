// Stands in for the house runner: starts one house process from the launch given as JSON, prints its PID, and
// lives until killed, so a test can kill the parent the way a crashed runner dies.
import { startHouseProcess } from '../../src/dev/houses/house-process.ts';

const child = startHouseProcess(JSON.parse(process.argv[2] ?? '{}'), 1);
process.stdout.write(`${child.pid}\n`);
setInterval(() => {}, 60_000);

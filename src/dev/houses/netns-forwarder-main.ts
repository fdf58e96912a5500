// The inside half of a house's loopback bridge, started by the runner in the house's network namespace:
// 127.0.0.1:<host API port> in the house -> the runner's host API socket, and the house socket -> the virtual
// API server's port in the house. Arguments: <socket folder> <host API port> <virtual API port>.
import { join } from 'node:path';
import { forward } from './socket-bridge.ts';
import { bridgeSockets } from './bridge-sockets.ts';

const [socketDir, hostApiPort, houseApiPort] = process.argv.slice(2);
if (!socketDir || !hostApiPort || !houseApiPort)
  throw new Error('usage: netns-forwarder-main.ts <socket folder> <host API port> <virtual API port>');
const sockets = bridgeSockets(socketDir);
await forward({ host: '127.0.0.1', port: Number(hostApiPort) }, { path: sockets.hostApi });
await forward({ path: sockets.house }, { host: '127.0.0.1', port: Number(houseApiPort) });
// The runner waits for this line before it starts the house.
process.stdout.write(`ready ${join(socketDir)}\n`);
// The runner ends this process with the house; its parent gone, it ends too.
process.on('disconnect', () => process.exit(0));

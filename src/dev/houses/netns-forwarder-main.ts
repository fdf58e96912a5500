// The inside half of a loopback bridge, started by the runner in a network namespace of its own (a house's, or its
// Argo CD's): each argument after the label is `<listen>=<target>`, an endpoint written `host:port` or
// `unix:<path>` (unix sockets cross network namespaces). Arguments: <label> <listen>=<target>..., the label
// (the house's socket folder, or the namespace's name) naming it in the process list.
import { forward } from './socket-bridge.ts';
import { parseBridge } from './bridge-endpoints.ts';

const [label, ...pairs] = process.argv.slice(2);
if (!label || pairs.length === 0) throw new Error('usage: netns-forwarder-main.ts <label> <listen>=<target>...');
for (const pair of pairs) {
  const { listen, target } = parseBridge(pair);
  await forward(listen, target);
}
// The runner waits for this line before it starts what the namespace runs.
process.stdout.write(`ready ${label}\n`);
// The runner ends this process with the namespace; its parent gone, it ends too.
process.on('disconnect', () => process.exit(0));

import { createServer, connect, type Server, type Socket, type NetConnectOpts } from 'node:net';
import { rmSync } from 'node:fs';

/** Where a listener listens: a TCP address, or a unix socket (which crosses network namespaces). */
export type Endpoint = { host: string; port: number } | { path: string };

/** Pipes one accepted connection to a new connection to `target`; either end closing closes both. */
function pipeTo(incoming: Socket, target: Endpoint): void {
  const outgoing = connect(target as NetConnectOpts);
  incoming.pipe(outgoing).pipe(incoming);
  const close = () => {
    incoming.destroy();
    outgoing.destroy();
  };
  incoming.on('error', close).on('close', close);
  outgoing.on('error', close).on('close', close);
}

/** The connections each listener has piped, to end them when it closes. */
const open = new WeakMap<Server, Set<Socket>>();

/** Listens on `from` and pipes every connection to `to`: one direction of the loopback bridge. */
export async function forward(from: Endpoint, to: Endpoint): Promise<Server> {
  if ('path' in from) rmSync(from.path, { force: true });
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    pipeTo(socket, to);
  });
  open.set(server, sockets);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(from, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Stops listening and ends the connections in flight. */
export async function closeForward(server: Server): Promise<void> {
  for (const socket of open.get(server) ?? []) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

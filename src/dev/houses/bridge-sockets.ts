import { join } from 'node:path';

/**
 * The unix sockets of one house's loopback bridge. Short paths under /run (a socket path has at most 107
 * bytes), readable only by root: the runner serves `hostApi`, the forwarder in the house serves `house`.
 */
export function bridgeSockets(dir: string): { hostApi: string; house: string } {
  return { hostApi: join(dir, 'host-api.sock'), house: join(dir, 'house.sock') };
}

/** The socket folder of one pod. */
export const socketDir = (podUid: string) => join('/run/landlord-houses', podUid.replaceAll('-', '').slice(0, 12));

import { connect as connectTcp } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Waits until something accepts connections on the port; false when it died first or time ran out. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  died: () => boolean,
  host = '127.0.0.1',
): Promise<boolean> {
  return pollUntil(() => canConnect(host, port), timeoutMs, died);
}

/** Polls the probe until it says yes; false when the process it waits on died first or time ran out. */
export async function pollUntil(probe: () => Promise<boolean>, timeoutMs: number, died: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    if (died()) return false;
    await sleep(200);
  }
  return false;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

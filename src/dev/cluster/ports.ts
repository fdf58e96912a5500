import { createServer } from 'node:net';

/** Whether a TCP port on 127.0.0.1 is free to listen on. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 that the kernel says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A block of consecutive free ports between 21000 and 27000, away from the dev cluster and ephemeral ports. */
export async function freePortBlock(size: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 21000 + Math.floor(Math.random() * Math.floor(6000 / size)) * size;
    const ports = Array.from({ length: size }, (_, offset) => base + offset);
    if ((await Promise.all(ports.map(isPortFree))).every(Boolean)) return base;
  }
  throw new Error('no block of free ports found between 21000 and 27000 on 127.0.0.1');
}

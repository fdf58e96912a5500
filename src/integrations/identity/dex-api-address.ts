import { isIP } from 'node:net';

/** How the operator reaches Dex's gRPC API: mutual TLS, or plain only when Dex listens on loopback. */
export interface DexApiTarget {
  /** host:port (IPv6 in brackets: [::1]:5557). */
  address: string;
  /** PEM: the CA that signed Dex's server certificate, the operator's client certificate and its key. */
  tls?: { ca: Buffer; cert: Buffer; key: Buffer };
}

/** Whether the host is this machine: localhost, 127.0.0.0/8 or ::1 (no one else can listen there). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return isIP(bare) === 6 && (bare === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(bare));
}

/** The host of a host:port address (brackets kept for IPv6), or undefined when it is not host:port. */
export function hostOf(address: string): string | undefined {
  const match = /^(.+):(\d{1,5})$/.exec(address);
  const port = Number(match?.[2]);
  return match && port >= 1 && port <= 65535 ? match[1] : undefined;
}

/**
 * Why the target cannot be used, or undefined: the address must be host:port, and without TLS only a loopback
 * address is allowed (Dex's API hands out every client's secret to whoever reaches it).
 */
export function dexApiTargetProblem(target: DexApiTarget): string | undefined {
  const host = hostOf(target.address);
  if (host === undefined)
    return `Dex API address ${JSON.stringify(target.address)} is not host:port with a port from 1 to 65535`;
  if (!target.tls && !isLoopbackHost(host)) {
    return (
      `Dex API at ${target.address}: a connection without TLS is allowed only to a loopback address ` +
      '(localhost, 127.0.0.0/8, ::1); give the CA, client certificate and key (mutual TLS)'
    );
  }
  return undefined;
}

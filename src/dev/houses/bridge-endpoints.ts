import type { Endpoint } from './socket-bridge.ts';

/** An endpoint as a forwarder's argument: `host:port`, or `unix:<path>`. */
export function endpointArg(endpoint: Endpoint): string {
  return 'path' in endpoint ? `unix:${endpoint.path}` : `${endpoint.host}:${endpoint.port}`;
}

/** One `<listen>=<target>` argument of the forwarder, as the runner writes it. */
export const bridgeArg = (listen: Endpoint, target: Endpoint) => `${endpointArg(listen)}=${endpointArg(target)}`;

/** The endpoint an argument names; an error naming it when it is neither form. */
export function parseEndpoint(text: string): Endpoint {
  if (text.startsWith('unix:/')) return { path: text.slice('unix:'.length) };
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match?.[1] || !(port > 0 && port < 65536))
    throw new Error(`bridge endpoint "${text}": expected <IPv4 address>:<port> or unix:<absolute path>`);
  return { host: match[1], port };
}

/** A `<listen>=<target>` argument, split and parsed. */
export function parseBridge(text: string): { listen: Endpoint; target: Endpoint } {
  const at = text.indexOf('=');
  if (at < 0) throw new Error(`bridge "${text}": expected <listen>=<target>`);
  return { listen: parseEndpoint(text.slice(0, at)), target: parseEndpoint(text.slice(at + 1)) };
}

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parse } from 'yaml';
import { dexConfig } from './dex-config.ts';
import { exampleDirectory } from './directory.ts';

const api = { port: 3, tlsCert: '/env/server.crt', tlsKey: '/env/server.key', tlsClientCA: '/env/ca.crt' };

it('ends a sign-in after the session minutes: the ID token, and every refresh token however often used', () => {
  const config = parse(
    dexConfig({
      port: 1,
      ldapPort: 2,
      directory: exampleDirectory(() => 'secret'),
      bindPassword: 'bind',
      clients: [],
      sessionMinutes: 20,
      api,
    }),
  ) as { expiry: { idTokens: string; refreshTokens: Record<string, string> } };
  assert.deepEqual(config.expiry, {
    idTokens: '20m',
    refreshTokens: { validIfNotUsedFor: '20m', absoluteLifetime: '20m' },
  });
});

it("serves Dex's gRPC API on loopback only to callers with a client certificate of the environment's CA", () => {
  const config = parse(
    dexConfig({
      port: 1,
      ldapPort: 2,
      directory: exampleDirectory(() => 'secret'),
      bindPassword: 'bind',
      clients: [],
      sessionMinutes: 20,
      api,
    }),
  ) as { grpc: Record<string, unknown>; storage: { type: string } };
  // Without tlsClientCA Dex would hand every client's secret to whoever reaches the port.
  assert.deepEqual(config.grpc, {
    addr: '127.0.0.1:3',
    tlsCert: '/env/server.crt',
    tlsKey: '/env/server.key',
    tlsClientCA: '/env/ca.crt',
    tlsMinVersion: '1.3',
    reflection: false,
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, it } from 'node:test';
import { stringify } from 'yaml';
import { execCredential, fakeExecPlugin, selfSignedCertificate } from '../../test/support/exec-plugin.ts';
import { KubeHttp } from './http.ts';
import { loadConnection } from './kubeconfig.ts';

const v1 = 'client.authentication.k8s.io/v1';
const serverIdentity = selfSignedCertificate('api-server', '127.0.0.1');
const first = selfSignedCertificate('first-client');
const second = selfSignedCertificate('second-client');

let server: Server;
const connections: TLSSocket[] = [];

before(async () => {
  // An API server stand-in that only talks to clients presenting one of the two certificates, and says whose.
  server = createServer(
    { ...serverIdentity, ca: [first.cert, second.cert], requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({ client: socket.getPeerCertificate().subject.CN, connection: connections.indexOf(socket) }),
      );
    },
  );
  server.on('secureConnection', (socket: TLSSocket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

after(() => server.close());

it("presents the exec plugin's certificate, and a renewed one on new connections once the first expired", async () => {
  const plugin = fakeExecPlugin();
  const kubeconfig = join(plugin.dir, 'config');
  writeFileSync(
    kubeconfig,
    stringify({
      'current-context': 'main',
      clusters: [
        {
          name: 'local',
          cluster: {
            server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
            'certificate-authority-data': Buffer.from(serverIdentity.cert).toString('base64'),
          },
        },
      ],
      users: [
        { name: 'plugged', user: { exec: { apiVersion: v1, command: './bin/plugin.mjs', interactiveMode: 'Never' } } },
      ],
      contexts: [{ name: 'main', context: { cluster: 'local', user: 'plugged' } }],
    }),
  );
  const http = new KubeHttp(loadConnection(kubeconfig));
  const whoAmI = () => http.request<{ client: string; connection: number }>({ method: 'GET', path: '/whoami' });
  const handOut = (certificate: { cert: string; key: string }, expirationTimestamp: string) =>
    plugin.behave({
      stdout: execCredential(v1, {
        clientCertificateData: certificate.cert,
        clientKeyData: certificate.key,
        expirationTimestamp,
      }),
    });

  handOut(first, '2020-01-01T00:00:00Z');
  const before = await whoAmI();
  assert.equal(before.client, 'first-client');
  const firstConnection = connections[before.connection];
  const firstClosed = firstConnection?.closed ? Promise.resolve() : once(firstConnection as TLSSocket, 'close');

  handOut(second, new Date(Date.now() + 3600_000).toISOString());
  const renewed = await whoAmI();
  assert.equal(renewed.client, 'second-client', 'the renewed certificate is presented');
  assert.notEqual(renewed.connection, before.connection, 'on a new connection');
  await firstClosed; // the pool built for the expired certificate is closed

  assert.equal((await whoAmI()).client, 'second-client');
  assert.equal(plugin.runs().length, 2, 'the valid certificate is reused, not asked for again');
  http.close();
});

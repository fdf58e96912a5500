import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ensureDexApiCertificates } from './dex-api-certificates.ts';

it("makes Dex's API certificates once: a CA that signs nothing more, Dex on loopback, the operator as a client", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'landlord-dex-api-'));
  const files = await ensureDexApiCertificates(dir);
  const read = (file: string) => new X509Certificate(readFileSync(file));
  const [ca, server, client] = [read(files.ca), read(files.serverCert), read(files.clientCert)];
  assert.ok(ca.ca && !server.ca && !client.ca, 'only the CA is a CA');
  assert.ok(server.verify(ca.publicKey) && client.verify(ca.publicKey), 'both signed by the CA');
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(server.checkHost('localhost'), 'localhost');
  assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'server authentication only');
  assert.deepEqual(client.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'client authentication only');
  // The CA's key is gone: no one can sign another certificate Dex would let in.
  assert.deepEqual(readdirSync(join(dir, 'dex-api')).sort(), [
    'ca.crt',
    'operator.crt',
    'operator.key',
    'server.crt',
    'server.key',
  ]);
  for (const file of Object.values(files)) assert.equal(statSync(file).mode & 0o777, 0o600, file);
  assert.equal(statSync(join(dir, 'dex-api')).mode & 0o777, 0o700);
  const before = readFileSync(files.clientCert, 'utf8');
  await ensureDexApiCertificates(dir);
  assert.equal(readFileSync(files.clientCert, 'utf8'), before, 'made once per environment');
  assert.ok(!existsSync(join(dir, 'dex-api', 'ca.key')));
});

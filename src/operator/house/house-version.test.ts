import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HouseCredentials } from './house-credentials.ts';
import { askHouseVersion } from './house-version.ts';

const dir = mkdtempSync(join(tmpdir(), 'house-version-'));
const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
const read = (file: string) => readFileSync(join(dir, file));
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A CA, and a certificate it signs (the server's with an IP address, or a client's). */
function issue(name: string, ca: string, ip?: string) {
  run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  if (ip) writeFileSync(join(dir, `${name}.ext`), `subjectAltName=IP:${ip}\n`);
  const ext = ip ? ['-extfile', `${name}.ext`] : [];
  run(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '1',
    ...ext,
  );
}

let server: Server;
let url = '';
let credentials: HouseCredentials;

before(async () => {
  for (const ca of ['ca', 'other-ca'])
    run('req', '-x509', ...ec, '-keyout', `${ca}.key`, '-out', `${ca}.crt`, '-subj', `/CN=${ca}`, '-days', '1');
  issue('server', 'ca', '127.0.0.1');
  issue('client', 'ca');
  server = createServer(
    {
      key: read('server.key'),
      cert: read('server.crt'),
      ca: read('ca.crt'),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (_req, res) => res.end(JSON.stringify({ major: '1', minor: '36', gitVersion: 'v1.36.3' })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const b64 = (file: string) => read(file).toString('base64');
  credentials = {
    certificateAuthority: b64('ca.crt'),
    clientCertificate: b64('client.crt'),
    clientKey: b64('client.key'),
  };
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('askHouseVersion', () => {
  it('answers the version through the house’s CA and admin client certificate', async () => {
    assert.deepEqual(await askHouseVersion(url, credentials), { ok: true, gitVersion: 'v1.36.3' });
  });

  it('refuses a server its CA did not sign, and says why without a word of the credentials', async () => {
    const answer = await askHouseVersion(url, {
      ...credentials,
      certificateAuthority: read('other-ca.crt').toString('base64'),
    });
    assert.equal(answer.ok, false);
    const problem = answer.ok ? '' : answer.problem;
    assert.match(problem, /\/version: /);
    assert.ok(!problem.includes(credentials.clientKey.slice(0, 20)));
  });

  it('reports an address where nothing answers', async () => {
    const answer = await askHouseVersion('https://127.0.0.1:1', credentials, 1000);
    assert.equal(answer.ok, false);
  });
});

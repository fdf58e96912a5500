import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connectHouseThroughPortal } from './vcluster-portal.ts';

const dir = mkdtempSync(join(tmpdir(), 'vcluster-portal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('landlord vcluster connect --portal', () => {
  it('refuses a portal address a session cookie would cross a network in clear to, before any request', async () => {
    const file = join(dir, 'plain');
    await assert.rejects(
      connectHouseThroughPortal('http://portal.example', 'session', 'payments', file),
      /--portal: "http:\/\/portal\.example" is not allowed; use https:\/\//,
    );
    await assert.rejects(
      connectHouseThroughPortal('portal', 'session', 'payments', file),
      /--portal: "portal" is not a URL/,
    );
    assert.equal(existsSync(file), false, 'nothing written');
  });

  it('says the session is unknown when the portal has no user for it, and writes nothing', async () => {
    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ user: null, signIn: '/auth/login' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const file = join(dir, 'signed-out');
    try {
      await assert.rejects(
        connectHouseThroughPortal(`http://127.0.0.1:${port}`, 'stale', 'payments', file),
        /LANDLORD_PORTAL_SESSION: the portal at http:\/\/127\.0\.0\.1:\d+ does not know this session/,
      );
    } finally {
      server.close();
    }
    assert.equal(existsSync(file), false);
  });
});

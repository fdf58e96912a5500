import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from './main.ts';

/** Runs `landlord operator ...args` in this process against a kubeconfig that does not exist. */
async function operator(...args: string[]) {
  let stderr = '';
  const streams = { out: () => {}, err: (text: string) => (stderr += text) };
  const status = await main(
    ['node', 'landlord', 'operator', '--kubeconfig', '/nonexistent/kubeconfig', ...args],
    streams,
  );
  return { status, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'landlord-dex-flags-'));
const file = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, `${name}\n`);
  return path;
};
const [ca, cert, key] = [file('ca.crt'), file('operator.crt'), file('operator.key')];

describe("landlord operator's Dex API flags, checked before anything connects", () => {
  it('refuses the TLS files half given, naming each missing flag (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--dex-api', 'dex.example:5557', '--dex-api-ca', ca],
        /^landlord: --dex-api-cert, --dex-api-key are missing: /m,
      ],
      [['--dex-api', 'dex.example:5557', '--dex-api-ca', ca, '--dex-api-cert', cert], /--dex-api-key is missing: /],
      [['--dex-api', 'dex.example:5557', '--dex-api-key', key, '--dex-api-cert', cert], /--dex-api-ca is missing: /],
      [['--dex-api-ca', ca, '--dex-api-cert', cert, '--dex-api-key', key], /--dex-api is missing: give Dex's API/],
    ];
    for (const [args, message] of cases) {
      const result = await operator(...args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });

  it('refuses plaintext to an address that is not loopback, and an address that is not host:port', async () => {
    const plain = await operator('--dex-api', 'dex.example:5557');
    assert.equal(plain.status, 2, plain.stderr);
    assert.match(
      plain.stderr,
      /--dex-api: Dex API at dex\.example:5557: a connection without TLS is allowed only to a loopback/,
    );
    const bad = await operator(
      '--dex-api',
      'dex.example',
      '--dex-api-ca',
      ca,
      '--dex-api-cert',
      cert,
      '--dex-api-key',
      key,
    );
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--dex-api: "dex\.example" is not allowed; use host:port/);
  });

  it('names the flag whose file cannot be read', async () => {
    const missing = join(dir, 'absent.key');
    const result = await operator(
      '--dex-api',
      'dex.example:5557',
      '--dex-api-ca',
      ca,
      '--dex-api-cert',
      cert,
      '--dex-api-key',
      missing,
    );
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`--dex-api-key: cannot read "${missing}": ENOENT`));
  });

  it('takes all four, or loopback alone, and goes on to the cluster (missing here: exit 3)', async () => {
    for (const args of [
      ['--dex-api', 'dex.example:5557', '--dex-api-ca', ca, '--dex-api-cert', cert, '--dex-api-key', key],
      ['--dex-api', '127.0.0.1:5557'],
      [],
    ]) {
      const result = await operator(...args);
      assert.equal(result.status, 3, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /\/nonexistent\/kubeconfig does not exist/);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dexApiTargetProblem, isLoopbackHost } from './dex-api-address.ts';

const tls = { ca: Buffer.from('ca'), cert: Buffer.from('cert'), key: Buffer.from('key') };

describe("Dex's API address", () => {
  it('knows loopback hosts from the rest, a name that merely starts like one included', () => {
    for (const host of ['localhost', '127.0.0.1', '127.3.4.5', '::1', '[::1]', '0:0:0:0:0:0:0:1'])
      assert.ok(isLoopbackHost(host), host);
    for (const host of ['dex.example', '10.0.0.1', '0.0.0.0', '::', '127.0.0.1.example', 'localhost.example', '::2'])
      assert.ok(!isLoopbackHost(host), host);
  });

  it('refuses plaintext to anything but loopback, saying so and naming the address', () => {
    const problem = dexApiTargetProblem({ address: 'dex.example:5557' });
    assert.match(
      problem ?? '',
      /^Dex API at dex\.example:5557: a connection without TLS is allowed only to a loopback/,
    );
    assert.equal(dexApiTargetProblem({ address: 'dex.example:5557', tls }), undefined);
    assert.equal(dexApiTargetProblem({ address: '127.0.0.1:5557' }), undefined);
    assert.equal(dexApiTargetProblem({ address: '[::1]:5557' }), undefined);
  });

  it('refuses what is not host:port', () => {
    for (const address of ['dex.example', 'dex.example:0', 'dex.example:70000', ':5557'])
      assert.match(dexApiTargetProblem({ address, tls }) ?? '', /is not host:port/, address);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bridgeArg, parseBridge, parseEndpoint } from './bridge-endpoints.ts';

describe('a bridge forwarder’s arguments', () => {
  it('round-trips a TCP listener to a unix socket and back', () => {
    const listen = { host: '127.64.0.9', port: 8443 };
    const target = { path: '/run/landlord-houses/abc/house.sock' };
    assert.deepEqual(parseBridge(bridgeArg(listen, target)), { listen, target });
    assert.deepEqual(parseBridge(bridgeArg(target, listen)), { listen: target, target: listen });
  });

  it('names an endpoint of neither form and what is expected', () => {
    assert.throws(() => parseEndpoint('localhost:80'), /"localhost:80": expected <IPv4 address>:<port> or unix:/);
    assert.throws(() => parseEndpoint('127.0.0.1:70000'), /"127.0.0.1:70000"/);
    assert.throws(() => parseEndpoint('unix:relative.sock'), /"unix:relative.sock"/);
    assert.throws(() => parseBridge('127.0.0.1:80'), /expected <listen>=<target>/);
  });
});

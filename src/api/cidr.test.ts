import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cidrProblem } from './cidr.ts';

it('accepts IPv4 and IPv6 CIDRs as a NetworkPolicy ipBlock takes them', () => {
  for (const cidr of ['10.96.0.1/32', '0.0.0.0/0', '192.168.10.0/24', 'fd00::1/128', '::/0', '2001:db8:0:0:0:0:0:1/64'])
    assert.equal(cidrProblem(cidr), undefined, cidr);
});

it('names what is wrong with anything else', () => {
  assert.match(cidrProblem('10.96.0.1') ?? '', /is not a CIDR: write an address and a prefix length/);
  assert.match(cidrProblem('10.96.0.256/32') ?? '', /a part outside 0-255/);
  assert.match(cidrProblem('10.96.0.1/33') ?? '', /at most \/32/);
  assert.match(cidrProblem('fd00::1/129') ?? '', /at most \/128/);
  assert.match(cidrProblem('api.example/32') ?? '', /neither an IPv4 nor an IPv6 address/);
  assert.match(cidrProblem('1::2::3/64') ?? '', /neither an IPv4 nor an IPv6 address/);
  assert.match(cidrProblem('010.1.1.1/8') ?? '', /a part outside 0-255/);
  assert.equal(cidrProblem(42), 'is not a string');
});

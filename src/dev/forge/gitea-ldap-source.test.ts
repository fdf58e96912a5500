import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ldapSourceFlags } from './gitea-ldap-source.ts';

const flag = (flags: string[], name: string) => flags[flags.indexOf(`--${name}`) + 1];

it('binds as the person signing in, on the loopback directory, with no bind account of its own', () => {
  const flags = ldapSourceFlags({ port: 20454, baseDN: 'dc=financecore,dc=example' });
  assert.equal(flag(flags, 'host'), '127.0.0.1');
  assert.equal(flag(flags, 'port'), '20454');
  assert.equal(flag(flags, 'user-dn'), 'uid=%s,ou=people,dc=financecore,dc=example');
  assert.equal(flag(flags, 'user-search-base'), 'ou=people,dc=financecore,dc=example');
  assert.equal(flag(flags, 'username-attribute'), 'uid');
  assert.ok(!flags.includes('--bind-dn') && !flags.includes('--bind-password'));
});

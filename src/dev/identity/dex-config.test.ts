import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parse } from 'yaml';
import { dexConfig } from './dex-config.ts';
import { exampleDirectory } from './directory.ts';

it('ends a sign-in after the session minutes: the ID token, and every refresh token however often used', () => {
  const config = parse(
    dexConfig({
      port: 1,
      ldapPort: 2,
      directory: exampleDirectory(() => 'secret'),
      bindPassword: 'bind',
      clients: [],
      sessionMinutes: 20,
    }),
  ) as { expiry: { idTokens: string; refreshTokens: Record<string, string> } };
  assert.deepEqual(config.expiry, {
    idTokens: '20m',
    refreshTokens: { validIfNotUsedFor: '20m', absoluteLifetime: '20m' },
  });
});

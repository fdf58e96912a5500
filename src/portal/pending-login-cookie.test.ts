import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  openPendingLogin,
  pendingLoginKey,
  pendingLoginSeconds,
  sealPendingLogin,
  UsedLogins,
} from './pending-login-cookie.ts';

const key = pendingLoginKey('a-unit-test-session-secret-of-32-characters');
const pending = { codeVerifier: 'verifier', state: 'state', nonce: 'nonce', returnTo: '/tenants/devteam-a' };
const now = Date.parse('2026-01-05T09:00:00Z');

describe('the pending sign-in cookie', () => {
  it('opens to what was sealed, and shows none of it in the clear', () => {
    const { value, id } = sealPendingLogin(pending, key, now);
    for (const secret of Object.values(pending)) assert.ok(!value.includes(secret), `${secret} readable in the cookie`);
    const opened = openPendingLogin(value, key, now + 1000);
    assert.deepEqual(opened, { ok: true, pending, id, expiresAt: now + pendingLoginSeconds * 1000 });
  });

  it('is refused when tampered with, truncated, garbage, or sealed with another key', () => {
    const { value } = sealPendingLogin(pending, key, now);
    const raw = Buffer.from(value, 'base64url');
    for (const index of [0, 12, 20, raw.length - 1]) {
      const tampered = Buffer.from(raw);
      tampered[index] = (tampered[index] ?? 0) ^ 1;
      assert.deepEqual(openPendingLogin(tampered.toString('base64url'), key, now), { ok: false, reason: 'invalid' });
    }
    assert.deepEqual(openPendingLogin(value.slice(0, 30), key, now), { ok: false, reason: 'invalid' });
    assert.deepEqual(openPendingLogin('not a cookie', key, now), { ok: false, reason: 'invalid' });
    const otherKey = pendingLoginKey('another-portal-session-secret-of-32-characters');
    assert.deepEqual(openPendingLogin(value, otherKey, now), { ok: false, reason: 'invalid' });
  });

  it('is refused once its ten minutes are over, and when absent', () => {
    const { value } = sealPendingLogin(pending, key, now);
    assert.equal(openPendingLogin(value, key, now + pendingLoginSeconds * 1000 - 1).ok, true);
    assert.deepEqual(openPendingLogin(value, key, now + pendingLoginSeconds * 1000), { ok: false, reason: 'expired' });
    assert.deepEqual(openPendingLogin(undefined, key, now), { ok: false, reason: 'missing' });
  });
});

describe('used sign-in cookies', () => {
  it('accept each cookie once: a replay is refused until it would have expired anyway', () => {
    const used = new UsedLogins();
    assert.equal(used.consume('a', now + 600_000, now), true);
    assert.equal(used.consume('a', now + 600_000, now + 1000), false, 'replayed');
    assert.equal(used.consume('b', now + 600_000, now + 1000), true, 'another cookie is not affected');
  });

  it('keep no more than their bound, forgetting the ones nearest expiry first', () => {
    const used = new UsedLogins(2);
    used.consume('a', now + 1, now);
    used.consume('b', now + 2, now);
    used.consume('c', now + 3, now);
    assert.equal(used.consume('b', now + 2, now), false, 'still remembered');
    assert.equal(used.consume('c', now + 3, now), false, 'still remembered');
    assert.equal(used.consume('a', now + 1, now), true, 'the one nearest expiry was forgotten');
  });
});

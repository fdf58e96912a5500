import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { PendingLogin } from './oidc.ts';

/** The cookie that carries a sign-in between /auth/login and /auth/callback (no server memory, ADR 17). */
export const pendingLoginCookie = 'landlord_login';

/** A sign-in not finished within this is refused at the callback. */
export const pendingLoginSeconds = 10 * 60;

/** What the cookie holds, encrypted: the pending login, a one-use ID and when it stops being accepted. */
interface Sealed extends PendingLogin {
  id: string;
  expiresAt: number;
}

const ivBytes = 12;
const tagBytes = 16;
// Binds the ciphertext to this cookie: a value sealed for another purpose with the same key does not open here.
const associatedData = Buffer.from(pendingLoginCookie);

/** The cookie's AES-256-GCM key, derived from the session secret (HKDF-SHA256) so it is never the secret itself. */
export function pendingLoginKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'landlord', 'landlord pending sign-in cookie v1', 32));
}

/** Encrypts and authenticates a pending login into a cookie value; returns it and its one-use ID. */
export function sealPendingLogin(pending: PendingLogin, key: Buffer, now = Date.now()): { value: string; id: string } {
  const id = randomBytes(16).toString('base64url');
  const sealed: Sealed = { ...pending, id, expiresAt: now + pendingLoginSeconds * 1000 };
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(associatedData);
  const body = Buffer.concat([cipher.update(JSON.stringify(sealed), 'utf8'), cipher.final()]);
  return { value: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url'), id };
}

/** Why a cookie value was not accepted: no sign-in was begun, or what was presented is not one we sealed. */
export type OpenFailure = 'missing' | 'invalid' | 'expired';

/** Decrypts a cookie value sealed with this key; refuses a tampered, foreign or expired one. */
export function openPendingLogin(
  value: string | undefined,
  key: Buffer,
  now = Date.now(),
): { ok: true; pending: PendingLogin; id: string; expiresAt: number } | { ok: false; reason: OpenFailure } {
  if (!value) return { ok: false, reason: 'missing' };
  const raw = Buffer.from(value, 'base64url');
  if (raw.length <= ivBytes + tagBytes) return { ok: false, reason: 'invalid' };
  let sealed: Sealed;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, ivBytes), { authTagLength: tagBytes });
    decipher.setAAD(associatedData).setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
    const text = Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
    sealed = JSON.parse(text) as Sealed;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!(sealed.expiresAt > now)) return { ok: false, reason: 'expired' };
  const { id, expiresAt, codeVerifier, state, nonce, returnTo } = sealed;
  return { ok: true, pending: { codeVerifier, state, nonce, returnTo }, id, expiresAt };
}

/**
 * The IDs of pending-login cookies already presented at the callback, until they expire: a replayed callback is
 * refused. Only cookies the portal sealed get here, each at most once, so its size follows /auth/login's rate
 * limit; past the bound the entries nearest their expiry go first (a bound on memory, never a refusal).
 */
export class UsedLogins {
  private readonly used = new Map<string, number>();
  private readonly max: number;

  constructor(max = 100_000) {
    this.max = max;
  }

  /** Marks a cookie's ID used; false when it was used before (a replay). */
  consume(id: string, expiresAt: number, now = Date.now()): boolean {
    // Insertion order is expiry order (every cookie lives as long): the first entries expire soonest.
    for (const [seen, until] of this.used) {
      if (until > now) break;
      this.used.delete(seen);
    }
    if (this.used.has(id)) return false;
    this.used.set(id, expiresAt);
    for (const seen of this.used.keys()) {
      if (this.used.size <= this.max) break;
      this.used.delete(seen);
    }
    return true;
  }
}

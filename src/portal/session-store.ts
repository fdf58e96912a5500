import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';

/** How many sessions the portal keeps and for how long, whatever browsers and scripts send. */
export interface SessionLimits {
  /** Signed-in sessions in all; past it the least recently saved one ends. */
  maxSignedIn: number;
  /** Signed-in sessions of one person (by OIDC subject); past it their oldest ends. */
  maxPerPerson: number;
  /** Sessions with no one signed in; past it the oldest is forgotten (sign-ins under way are cookies, not these). */
  maxPending: number;
  /** A session with no one signed in is forgotten after this. */
  pendingSeconds: number;
  /** A session ends this long after sign-in however busy it is (the idle limit is the cookie's). */
  absoluteSeconds: number;
}

/** The portal's limits unless told otherwise: a working day at most, a few devices per person. */
export const defaultSessionLimits: SessionLimits = {
  maxSignedIn: 10_000,
  maxPerPerson: 5,
  maxPending: 1_000,
  pendingSeconds: 10 * 60,
  absoluteSeconds: 8 * 3600,
};

interface Entry {
  session: Session;
  /** When this session ID was first saved: the sign-in (IDs are regenerated at sign-in), else its first save. */
  createdAt: number;
}

const subjectOf = (session: Session) => session.user?.subject;

/**
 * The portal's sessions in memory (one replica, ADR 9), bounded in number and length: unlike the library's
 * MemoryStore, which keeps every session ever made until it is asked for again.
 */
export class BoundedSessionStore implements SessionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly limits: SessionLimits;
  private readonly now: () => number;

  constructor(limits: SessionLimits = defaultSessionLimits, now: () => number = Date.now) {
    this.limits = limits;
    this.now = now;
  }

  /** How many sessions are kept: signed in, and with no one signed in. */
  get size(): { signedIn: number; pending: number } {
    let signedIn = 0;
    for (const entry of this.entries.values()) if (subjectOf(entry.session)) signedIn++;
    return { signedIn, pending: this.entries.size - signedIn };
  }

  set(sessionId: string, session: Session, callback: (error?: unknown) => void): void {
    const previous = this.entries.get(sessionId);
    this.entries.delete(sessionId); // re-inserted last: the Map's order is the order of last save
    this.entries.set(sessionId, { session, createdAt: previous?.createdAt ?? this.now() });
    this.evict(sessionId, session);
    callback();
  }

  get(sessionId: string, callback: (error: unknown, session?: Session | null) => void): void {
    const entry = this.entries.get(sessionId);
    if (entry && this.expired(entry)) {
      this.entries.delete(sessionId);
      callback(null, null);
      return;
    }
    callback(null, entry?.session ?? null);
  }

  destroy(sessionId: string, callback: (error?: unknown) => void): void {
    this.entries.delete(sessionId);
    callback();
  }

  /** Ends every session of a person (the directory no longer confirms them). */
  destroyPerson(subject: string): void {
    for (const [id, entry] of this.entries) if (subjectOf(entry.session) === subject) this.entries.delete(id);
  }

  private expired(entry: Entry): boolean {
    const age = this.now() - entry.createdAt;
    const limit = subjectOf(entry.session) ? this.limits.absoluteSeconds : this.limits.pendingSeconds;
    const idleEnd = entry.session.cookie?.expires?.getTime();
    return age >= limit * 1000 || (idleEnd !== undefined && idleEnd <= this.now());
  }

  /** After a save: expired sessions go, then the oldest beyond each bound (never the one just saved). */
  private evict(savedId: string, saved: Session): void {
    for (const [id, entry] of this.entries) if (this.expired(entry)) this.entries.delete(id);
    const subject = subjectOf(saved);
    const candidates = (keep: (entry: Entry) => boolean) =>
      [...this.entries].filter(([id, entry]) => id !== savedId && keep(entry)).map(([id]) => id);
    const trim = (ids: string[], count: number, limit: number) => {
      for (const id of ids.slice(0, Math.max(0, count - limit))) this.entries.delete(id);
    };
    if (subject) {
      const own = candidates((entry) => subjectOf(entry.session) === subject);
      trim(own, own.length + 1, this.limits.maxPerPerson);
      const signedIn = candidates((entry) => subjectOf(entry.session) !== undefined);
      trim(signedIn, signedIn.length + 1, this.limits.maxSignedIn);
    } else {
      const pending = candidates((entry) => subjectOf(entry.session) === undefined);
      trim(pending, pending.length + 1, this.limits.maxPending);
    }
  }
}

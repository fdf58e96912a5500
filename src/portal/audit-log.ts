import type { PortalUser } from './user.ts';

/** One line of the audit trail: who did what to which tenant, when, and how it ended. */
export interface AuditLine {
  at: string;
  user: string;
  action: string;
  tenant?: string;
  result: 'ok' | 'refused' | 'failed';
  [detail: string]: unknown;
}

/** Writes audit lines with their time; a sink that fails must not fail the request. */
export class AuditTrail {
  private readonly sink: (line: AuditLine) => void;

  constructor(sink: (line: AuditLine) => void) {
    this.sink = sink;
  }

  record(user: PortalUser, action: string, result: AuditLine['result'], details: Record<string, unknown> = {}): void {
    this.sink({ at: new Date().toISOString(), user: user.username, action, result, ...details });
  }
}

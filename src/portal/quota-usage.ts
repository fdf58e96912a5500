// Types only: the web UI imports it too, so it must not import anything that needs Node.

/** One resource of a tenant's quota: what it may use and what it uses, in plain units (cores, bytes). */
export interface QuotaUsage {
  resource: string;
  hard: number;
  used: number;
}

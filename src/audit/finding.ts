/** How bad a finding is: high lets one tenant reach another or the cluster; medium weakens a boundary. */
export type Severity = 'high' | 'medium';

/** One way a tenant can reach beyond itself, with what to do about it. */
export interface Finding {
  severity: Severity;
  /** A stable identifier of the rule, for CI filters and documentation. */
  rule: string;
  /** The object at fault: "Kind namespace/name". */
  object: string;
  /** The tenant concerned, when there is one. */
  tenant?: string;
  message: string;
  fix: string;
}

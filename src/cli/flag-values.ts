import { CliError, ExitCode } from './exit-codes.ts';

/** The whole numbers a flag allows, and how to say so. */
export interface WholeNumberRange {
  min: number;
  max: number;
  /** What is counted ("seconds"), said after "a whole number of". */
  unit?: string;
  /** What the smallest value means when it is special ("never"). */
  minMeans?: string;
}

/**
 * A flag's whole number, in decimal digits and within its range; anything else ("abc", "1.5", "1e2", "0x10",
 * " 60", "") is a usage error naming the flag, the value given and what is allowed. `Number()` alone would
 * turn "abc" into NaN, which a timer reads as "off".
 */
export function wholeNumberFlag(flag: string, value: string, range: WholeNumberRange): number {
  const number = Number(value);
  if (/^\d{1,15}$/.test(value) && number >= range.min && number <= range.max) return number;
  const counted = range.unit ? `a whole number of ${range.unit}` : 'a whole number';
  const min = range.minMeans ? `${range.min} (${range.minMeans})` : String(range.min);
  throw refused(flag, value, `${counted} from ${min} to ${range.max}`);
}

/** A host:port flag (IPv6 hosts in brackets: [::1]:9090), the port from 1 to 65535. */
export function hostPortFlag(flag: string, value: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw refused(flag, value, 'host:port with a port from 1 to 65535');
  const host = match[1] as string;
  return { host: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host, port };
}

/** A namespace name flag: a DNS label (lowercase letters, digits, '-'; at most 63 characters). */
export function namespaceFlag(flag: string, value: string): string {
  if (/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) return value;
  throw refused(
    flag,
    value,
    "a namespace name: lowercase letters, digits and '-', starting and ending alphanumeric, at most 63 characters",
  );
}

function refused(flag: string, value: string, allowed: string): CliError {
  return new CliError(`${flag}: ${JSON.stringify(value)} is not allowed; use ${allowed}`, ExitCode.usage);
}

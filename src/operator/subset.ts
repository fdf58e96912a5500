/**
 * Whether everything the desired object says is already true of the live one. Extra fields in the live
 * object (defaults, status, other managers' labels) do not matter.
 */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(live) && desired.length === live.length && desired.every((item, i) => isSubset(item, live[i]));
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    const liveFields = live as Record<string, unknown>;
    return Object.entries(desired).every(([key, value]) => isSubset(value, liveFields[key]));
  }
  return desired === live;
}

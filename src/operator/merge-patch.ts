/**
 * The JSON merge patch (RFC 7386) that turns `from` into `to`: a field `to` no longer has is sent as null, so a
 * merge patch removes it instead of keeping it (a nodePool dropped from status.acceptedSpec must go).
 */
export function mergePatchTo(from: unknown, to: unknown): unknown {
  if (!isPlainObject(from) || !isPlainObject(to)) return to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) patch[key] = mergePatchTo(from[key], value);
  return patch;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where the browser goes after sign-in when the asked-for place is not one of the portal's own pages. */
export const homePath = '/';

// Browsers drop tabs and newlines from URLs and read a backslash as a slash: `/\t/evil`, `/\evil` are `//evil`.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const unsafeCharacters = /[\\\u0000-\u0020\u007f-\u009f\u2028\u2029]/;

/**
 * A path of the portal itself for after sign-in, or the home page: never an open redirect. Only a path that
 * starts with one slash, holds no backslash, whitespace or control character and, resolved against the
 * portal, stays on the portal; it comes back as the resolved path (the query string and fragment kept).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return homePath;
  if (!value.startsWith('/') || value.startsWith('//') || unsafeCharacters.test(value)) return homePath;
  const base = 'https://portal.invalid';
  let resolved: URL;
  try {
    resolved = new URL(value, base);
  } catch {
    return homePath;
  }
  if (resolved.origin !== base) return homePath;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // The resolved path must itself be safe: `/..//evil` resolves to `//evil`.
  return path.startsWith('//') ? homePath : path;
}

/**
 * Argo CD's pattern matching, reproduced exactly so the audit judges a pattern as Argo CD will:
 * gobwas/glob for destinations and repositories (`*`, `**`, `?`, `[a-z]`, `[!a]`, `{a,b}`, `\` escapes),
 * Go's filepath.Match for resource groups and kinds. A pattern that does not compile matches nothing, as in
 * Argo CD (util/glob logs and returns false).
 */

const cache = new Map<string, RegExp | null>();

/** gobwas/glob's Match, with optional separators that `*` and `?` do not cross. */
export function globMatch(pattern: string, value: string, separators: string[] = []): boolean {
  const key = `${separators.join('')}\u0000${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compileGlob(pattern, separators);
    cache.set(key, compiled);
  }
  return compiled !== null && compiled.test(value);
}

function compileGlob(pattern: string, separators: string[]): RegExp | null {
  const notSeparator = separators.length ? `[^${separators.map(escapeClass).join('')}]` : '[\\s\\S]';
  try {
    const [source, end] = translate(pattern, 0, notSeparator, false);
    if (end !== pattern.length) return null;
    return new RegExp(`^(?:${source})$`, 'u');
  } catch {
    return null;
  }
}

/** Translates from index until the end (or a `,`/`}` closing an alternative group when inGroup). */
function translate(pattern: string, start: number, notSeparator: string, inGroup: boolean): [string, number] {
  let out = '';
  let i = start;
  while (i < pattern.length) {
    const char = pattern[i] as string;
    if (inGroup && (char === ',' || char === '}')) return [out, i];
    const [piece, next] = translateToken(pattern, i, notSeparator);
    out += piece;
    i = next;
  }
  if (inGroup) throw new Error('unclosed group');
  return [out, i];
}

/** One token at index: an escape, a wildcard, a class, a group of alternatives or a literal. */
function translateToken(pattern: string, i: number, notSeparator: string): [string, number] {
  const char = pattern[i] as string;
  if (char === '\\') {
    if (i + 1 >= pattern.length) throw new Error('dangling escape');
    return [escapeRegExp(pattern[i + 1] as string), i + 2];
  }
  if (char === '*') return pattern[i + 1] === '*' ? ['[\\s\\S]*', i + 2] : [`${notSeparator}*`, i + 1];
  if (char === '?') return [notSeparator, i + 1];
  if (char === '[') return translateClass(pattern, i);
  if (char === '{') return translateAlternatives(pattern, i, notSeparator);
  return [escapeRegExp(char), i + 1];
}

function translateClass(pattern: string, i: number): [string, number] {
  const close = pattern.indexOf(']', i + 1);
  if (close === -1) throw new Error('unclosed class');
  let body = pattern.slice(i + 1, close);
  const negated = body.startsWith('!');
  if (negated) body = body.slice(1);
  if (!body) throw new Error('empty class');
  const members = [...body.replace(/\\(.)/g, '$1')].map((c) => (c === '-' ? '-' : escapeClass(c)));
  return [`[${negated ? '^' : ''}${members.join('')}]`, close + 1];
}

function translateAlternatives(pattern: string, i: number, notSeparator: string): [string, number] {
  const alternatives: string[] = [];
  let j = i + 1;
  for (;;) {
    const [alternative, next] = translate(pattern, j, notSeparator, true);
    alternatives.push(alternative);
    j = next + 1;
    if (pattern[next] === '}') return [`(?:${alternatives.join('|')})`, j];
    if (pattern[next] !== ',') throw new Error('unclosed group');
  }
}

/** Go's path/filepath.Match for names without separators (groups and kinds): `*`, `?`, `[...]`, `\`. */
export function filepathMatch(pattern: string, value: string): boolean {
  // Braces are literal in Go's filepath.Match; `[^...]` negates like `[!...]`.
  return globMatch(pattern.replace(/[{}]/g, '\\$&').replace(/\[\^/g, '[!'), value, ['/']);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function escapeClass(char: string): string {
  return /[\\\]^-]/.test(char) ? `\\${char}` : char;
}

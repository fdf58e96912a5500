import type { FastifyInstance } from 'fastify';
import { PortalError } from './errors.ts';

/** Deeper JSON than any request of the portal needs (a Tenant spec is a few levels): refused before parsing. */
export const maxJsonDepth = 32;

/** How deeply the JSON text nests arrays and objects, counted without parsing (brackets in strings skipped). */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  for (let index = 0; index < text.length && deepest <= stopAbove; index++) {
    const char = text.charCodeAt(index);
    if (char === quote) index = endOfString(text, index);
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

const quote = 0x22;

/** The index of the quote closing the string that opens at `start` (backslash escapes skipped). */
function endOfString(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x5c) index++;
    else if (char === quote) return index;
  }
  return text.length;
}

/**
 * JSON bodies through Fastify's own parser (prototype poisoning refused), after a depth check: a body nested
 * 30,000 levels deep is a 400 naming the limit, never a stack overflow's 500 further on.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepth(text, maxJsonDepth) > maxJsonDepth) {
      done(
        new PortalError(
          400,
          'too-deep',
          `the JSON body nests deeper than ${maxJsonDepth} levels; a request needs a few`,
        ),
      );
      return;
    }
    // Fastify's own parser reports through done; its return value means nothing here.
    void parse(request, text, done);
  });
}

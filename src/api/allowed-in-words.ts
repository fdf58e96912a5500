// Pure: the validator's messages and the web UI's hints both say what a field allows through this module.
import { formatsInWords, patternsInWords } from './patterns-in-words.ts';
import type { StructuralSchema } from './structural-schema.ts';

/** What a field of the schema allows, as a phrase a person reads: "a whole number from 1 to 10". */
export function allowedInWords(schema: StructuralSchema): string {
  if (schema.enum) return `one of: ${schema.enum.map(String).join(', ')}`;
  switch (schema.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
      return `a whole number${rangeInWords(schema)}`;
    case 'number':
      return `a number${rangeInWords(schema)}`;
    case 'string':
      return stringInWords(schema);
    case 'array':
      return listInWords(schema);
    case 'object':
      return schema.properties ? `an object with the fields ${Object.keys(schema.properties).join(', ')}` : 'an object';
    default:
      return 'a value';
  }
}

/** The pattern's or format's words, then the length: "a DNS label: ..., 2 to 40 characters". */
function stringInWords(schema: StructuralSchema): string {
  const kind = schema.pattern
    ? (patternsInWords[schema.pattern] ?? `text matching the pattern ${schema.pattern}`)
    : schema.format
      ? (formatsInWords[schema.format] ?? `text in the ${schema.format} format`)
      : 'text';
  const length = boundsInWords(schema.minLength === 0 ? undefined : schema.minLength, schema.maxLength);
  return length ? `${kind}, ${length} ${plural(schema.maxLength ?? schema.minLength ?? 0, 'character')}` : kind;
}

function listInWords(schema: StructuralSchema): string {
  const count = boundsInWords(schema.minItems === 0 ? undefined : schema.minItems, schema.maxItems);
  const items = schema.items ? `, each ${allowedInWords(schema.items)}` : '';
  return `a list${count ? ` of ${count} ${plural(schema.maxItems ?? schema.minItems ?? 0, 'item')}` : ''}${items}`;
}

function rangeInWords(schema: StructuralSchema): string {
  if (schema.minimum !== undefined && schema.maximum !== undefined) {
    return ` from ${schema.minimum} to ${schema.maximum}`;
  }
  const bound = boundsInWords(schema.minimum, schema.maximum);
  return bound ? ` of ${bound}` : '';
}

/** "2 to 40", "at most 254", "at least 1", or nothing when unbounded. */
function boundsInWords(least: number | undefined, most: number | undefined): string {
  if (least !== undefined && most !== undefined) return least === most ? `exactly ${most}` : `${least} to ${most}`;
  if (most !== undefined) return `at most ${most}`;
  if (least !== undefined) return `at least ${least}`;
  return '';
}

const plural = (count: number, noun: string) => (count === 1 ? noun : `${noun}s`);

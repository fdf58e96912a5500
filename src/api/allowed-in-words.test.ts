import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedInWords } from './allowed-in-words.ts';
import { tenantSchema } from './crd.ts';
import { formatsInWords, patternsInWords } from './patterns-in-words.ts';
import type { StructuralSchema } from './structural-schema.ts';

/** Every field of the CRD's schema, by its path. */
function fieldsOf(schema: StructuralSchema, path = ''): [string, StructuralSchema][] {
  const children = Object.entries(schema.properties ?? {}).flatMap(([name, child]) =>
    fieldsOf(child, path ? `${path}.${name}` : name),
  );
  const items = schema.items ? fieldsOf(schema.items, `${path}[]`) : [];
  return [[path, schema], ...children, ...items];
}

const fields = fieldsOf(tenantSchema);
const spec = (path: string) => fields.find(([name]) => name === `spec.${path}`)?.[1] ?? {};

describe('what a field allows, in words', () => {
  it('has words for every pattern of the CRD, so no message echoes a regular expression', () => {
    const missing = fields.filter(([, schema]) => schema.pattern && !(schema.pattern in patternsInWords));
    assert.deepEqual(
      missing.map(([path, schema]) => `${path}: ${schema.pattern}`),
      [],
      'add these patterns, in words, to src/api/patterns-in-words.ts',
    );
  });

  it('has words for every string format of the CRD', () => {
    const missing = fields.filter(([, schema]) => schema.type === 'string' && schema.format);
    assert.deepEqual(
      missing.filter(([, schema]) => !(String(schema.format) in formatsInWords)).map(([path]) => path),
      [],
    );
  });

  it('keeps no words for a pattern the CRD no longer has', () => {
    const used = new Set(fields.map(([, schema]) => schema.pattern));
    assert.deepEqual(
      Object.keys(patternsInWords).filter((pattern) => !used.has(pattern)),
      [],
    );
  });

  it('has a message for every CEL rule, so none echoes CEL', () => {
    const silent = fields.flatMap(([path, schema]) =>
      (schema['x-kubernetes-validations'] ?? []).filter((rule) => !rule.message).map((rule) => `${path}: ${rule.rule}`),
    );
    assert.deepEqual(silent, []);
  });

  it('says patterns, lengths, enums, ranges and lists the way a person reads them', () => {
    assert.equal(
      allowedInWords(spec('teamName')),
      'a DNS label: lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit, 2 to 40 characters',
    );
    assert.match(allowedInWords(spec('ownerEmail')), /^an email address such as .*, at most 254 characters$/);
    assert.match(allowedInWords(spec('resourceQuota.cpu')), /^a Kubernetes quantity such as 4, 500m or 8Gi/);
    assert.equal(allowedInWords(spec('isolation')), 'one of: namespace, vcluster');
    assert.equal(allowedInWords(spec('nodePool.size')), 'a whole number from 1 to 10');
    assert.equal(allowedInWords(spec('services.vault')), 'true or false');
    assert.match(
      allowedInWords(spec('additionalNamespaces')),
      /^a list of at most 10 items, each a DNS label: .*1 to 22 characters$/,
    );
    assert.equal(allowedInWords(spec('resourceQuota')), 'an object with the fields cpu, memory, storage');
    assert.equal(allowedInWords({ type: 'string', minLength: 1, maxLength: 1 }), 'text, exactly 1 character');
    assert.equal(allowedInWords({ type: 'integer', minimum: 0 }), 'a whole number of at least 0');
  });

  it('never shows a regular expression for any field of the CRD', () => {
    for (const [path, schema] of fields) {
      const words = allowedInWords(schema);
      assert.ok(!schema.pattern || !words.includes(schema.pattern), `${path}: ${words}`);
      assert.doesNotMatch(words, /matching the pattern|in the \S+ format/, path);
    }
  });
});

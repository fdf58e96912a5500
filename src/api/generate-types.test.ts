import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { generatedTypesPath, renderTenantTypes } from './generate-types.ts';

it('the committed TypeScript types match the CRD (run `npm run generate` after changing the CRD)', async () => {
  assert.equal(readFileSync(generatedTypesPath, 'utf8'), await renderTenantTypes());
});

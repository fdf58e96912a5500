import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isSubset } from './subset.ts';

it('accepts live objects that carry everything desired, whatever else they carry', () => {
  const desired = { metadata: { name: 'a', labels: { team: 'a' } }, spec: { hard: { pods: '10' } } };
  const live = {
    metadata: { name: 'a', uid: 'u', labels: { team: 'a', other: 'x' } },
    spec: { hard: { pods: '10' } },
    status: {},
  };
  assert.equal(isSubset(desired, live), true);
});

it('refuses live objects that differ in, or lack, anything desired', () => {
  assert.equal(isSubset({ spec: { hard: { pods: '10' } } }, { spec: { hard: { pods: '20' } } }), false);
  assert.equal(isSubset({ metadata: { labels: { team: 'a' } } }, { metadata: {} }), false);
  assert.equal(isSubset({ list: [1, 2] }, { list: [1, 2, 3] }), false, 'an extra list item is drift');
  assert.equal(isSubset({ list: [{ a: 1 }] }, { list: [{ a: 1, b: 2 }] }), true);
  assert.equal(isSubset({ spec: {} }, { spec: null }), false);
});

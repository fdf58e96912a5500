import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markedDescription, markerOf } from './repository-marker.ts';

describe('the repository marker in a description', () => {
  it('reads back exactly the marker it was written with', () => {
    for (const marker of ['tenant payments (uid 1f2e)', 'a: b: c', '  spaced  ', 'ünïcode/😀']) {
      assert.equal(markerOf(markedDescription(marker)), marker);
    }
    assert.equal(markedDescription('payments'), 'Managed by Landlord: payments');
  });

  it('finds no marker in a description Landlord did not write', () => {
    assert.equal(markerOf(undefined), undefined);
    assert.equal(markerOf(''), undefined);
    assert.equal(markerOf('My own repository'), undefined);
    assert.equal(markerOf('managed by landlord: payments'), undefined);
    assert.equal(markerOf('Managed by Landlord: '), undefined);
    assert.equal(markerOf('Managed by Landlord: a\nb'), undefined);
    assert.equal(markerOf('See: Managed by Landlord: payments'), undefined);
  });

  it('refuses a marker a description cannot carry back', () => {
    assert.throws(() => markedDescription(''), /repository marker "": must be one non-empty line/);
    assert.throws(() => markedDescription('a\nb'), /repository marker "a\\nb"/);
  });
});

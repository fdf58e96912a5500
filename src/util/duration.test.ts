import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatDuration } from './duration.ts';

it('formats durations as people read them', () => {
  assert.equal(formatDuration(850), '850ms');
  assert.equal(formatDuration(12_345), '12.3s');
  assert.equal(formatDuration(375_000), '6m15s');
  assert.equal(formatDuration(119_600), '2m00s');
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { availableMemoryGiB, goProblem, memoryProblem } from './preflight.ts';

it('finds Go on this machine', () => {
  assert.equal(goProblem(), undefined);
});

it('explains a missing Go', () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    assert.match(goProblem() ?? '', /Go is not installed or not on PATH/);
  } finally {
    process.env.PATH = path;
  }
});

it('refuses to build with too little memory, saying how much is needed and how much there is', () => {
  assert.ok(availableMemoryGiB() > 0);
  assert.equal(memoryProblem(0.001, 'etcd'), undefined);
  assert.match(
    memoryProblem(100_000, 'kubernetes v1.36.3') ?? '',
    /needs about 100000 GiB of free memory; this machine has [\d.]+ GiB available/,
  );
});

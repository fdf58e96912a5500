import assert from 'node:assert/strict';
import { it } from 'node:test';
import { mergePatchTo } from './merge-patch.ts';

it('sends null for what is gone, at any depth, and lists whole', () => {
  const from = { resourceQuota: { cpu: '1', memory: '1Gi' }, nodePool: { size: 3 }, list: [1, 2] };
  const to = { resourceQuota: { cpu: '2' }, list: [3] };
  assert.deepEqual(mergePatchTo(from, to), {
    resourceQuota: { cpu: '2', memory: null },
    nodePool: null,
    list: [3],
  });
  assert.deepEqual(mergePatchTo(undefined, to), to);
});

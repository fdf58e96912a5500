import assert from 'node:assert/strict';
import { it } from 'node:test';
import { houseArgoCdLines } from './house-argocd-status.ts';

it('lists a house’s Argo CD and each of its processes for `landlord dev status`, nothing while it has none', () => {
  assert.deepEqual(houseArgoCdLines(undefined), []);
  assert.deepEqual(houseArgoCdLines({ phase: 'Absent', processes: [] }), []);
  const lines = houseArgoCdLines({
    phase: 'Running',
    url: 'http://127.77.1.2:8080',
    processes: [
      { name: 'redis', pid: 10, restarts: 0 },
      { name: 'argocd-server', restarts: 2 },
    ],
  });
  assert.deepEqual(lines, [
    '      argocd: Running at http://127.77.1.2:8080',
    '        redis: running (pid 10), 0 restarts',
    '        argocd-server: stopped, 2 restarts',
  ]);
});

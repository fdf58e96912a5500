import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tetheredCommand } from './tethered-process.ts';

const confinement = {
  uid: 1_000_000_001,
  hidden: ['/root'],
  shown: [],
  stageDir: '/run/landlord-houses/abc/argocd',
  home: '/x/home',
  networkNamespace: 'landlord-house-abc-argocd',
  resolvConf: '/x/resolv.conf',
};

describe('a tethered process’s command line', () => {
  it('joins the confined process’s network namespace before anything of it runs, tied to the runner', () => {
    const args = tetheredCommand({ command: '/bin/argocd', args: [] }, confinement);
    assert.deepEqual(args.slice(0, 4), [
      '--pdeathsig=KILL',
      'nsenter',
      '--net=/run/netns/landlord-house-abc-argocd',
      '--',
    ]);
    assert.ok(args.indexOf('unshare') > args.indexOf('nsenter'));
    assert.ok(args.includes('--kill-child') && args.includes('--mount'));
  });

  it('runs an unconfined process in the runner’s own network', () => {
    const args = tetheredCommand({ command: '/bin/redis-server', args: ['x'] });
    assert.ok(!args.includes('nsenter'));
    assert.deepEqual(args.slice(-3), ['--', '/bin/redis-server', 'x']);
  });
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { launchScript, shellQuote } from './house-process.ts';

it('quotes every word so nothing in a pod spec is interpreted by the shell', () => {
  assert.equal(shellQuote("a'b; rm -rf /"), `'a'"'"'b; rm -rf /'`);
});

it('binds the volumes (staged, then parents first), hides the home folder and runs the command as the container user', () => {
  const script = launchScript({
    networkNamespace: 'ns',
    imageDir: '/cache/vcluster',
    imageMountPoint: '/run/landlord-houses/x/image',
    command: ['/run/landlord-houses/x/image/vcluster', 'start'],
    env: { HOME: '/root' },
    mounts: [
      // Its source under the other's target, and mounted below it: staged first, then parents first.
      { source: '/var/lib/vcluster/pv', target: '/var/lib/vcluster/data', readOnly: false },
      { source: '/pods/u/volumes/config', target: '/var/lib/vcluster', readOnly: true },
    ],
    workingDir: '/',
    user: { uid: 10001, gid: 10001 },
  });
  assert.deepEqual(script.split('\n'), [
    'set -eu',
    `mount --bind '/cache/vcluster' '/run/landlord-houses/x/image'`,
    `mkdir -p '/run/landlord-houses/x/staged/0'`,
    `mount --bind '/var/lib/vcluster/pv' '/run/landlord-houses/x/staged/0'`,
    `mkdir -p '/run/landlord-houses/x/staged/1'`,
    `mount --bind '/pods/u/volumes/config' '/run/landlord-houses/x/staged/1'`,
    `mkdir -p '/var/lib/vcluster'`,
    `mount --bind '/run/landlord-houses/x/staged/1' '/var/lib/vcluster'`,
    `mount -o remount,bind,ro '/var/lib/vcluster'`,
    `mkdir -p '/var/lib/vcluster/data'`,
    `mount --bind '/run/landlord-houses/x/staged/0' '/var/lib/vcluster/data'`,
    `mount -t tmpfs -o mode=0700,uid=10001,gid=10001 house-home '/root'`,
    `cd '/'`,
    `'setpriv' '--reuid=10001' '--regid=10001' '--clear-groups' '--no-new-privs' '/run/landlord-houses/x/image/vcluster' 'start'`,
    'exit $?',
  ]);
});

// A house's volumes are mounted as a container runtime would, whatever folder Landlord's cache lives in: a volume
// mounted over a folder (the vCluster chart mounts one at /tmp) must not hide the sources of the others (a cache
// under /tmp did, and every house exited at its first mount).
import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { type HouseLaunch, startHouseProcess } from '../../src/dev/houses/house-process.ts';
import { createNetworkNamespace, removeNetworkNamespace } from '../../src/dev/houses/network-namespace.ts';

const volumes = mkdtempSync(join(tmpdir(), 'landlord-mounts-'));
const image = mkdtempSync(join(tmpdir(), 'landlord-mounts-image-'));
const networkNamespace = `landlord-house-mounts${process.pid}`;
after(() => {
  removeNetworkNamespace(networkNamespace);
  for (const dir of [volumes, image]) rmSync(dir, { recursive: true, force: true });
});

it('mounts a volume whose source lies under another volume’s mount point, and below it', async () => {
  // Volume "scratch" is mounted over the very folder that holds volume "data"'s source.
  for (const dir of ['scratch', 'data']) mkdirSync(join(volumes, dir));
  writeFileSync(join(volumes, 'data', 'proof'), 'mounted\n');
  for (const dir of [volumes, join(volumes, 'data'), image]) chmodSync(dir, 0o755);
  for (const dir of ['bin', 'mounted', 'home']) mkdirSync(join(image, dir));
  copyFileSync('/bin/cat', join(image, 'bin', 'cat'));
  createNetworkNamespace(networkNamespace, undefined);
  const launch: HouseLaunch = {
    networkNamespace,
    imageDir: join(image, 'bin'),
    imageMountPoint: join(image, 'mounted'),
    command: [join(image, 'mounted', 'cat'), join(volumes, 'data-here', 'proof')],
    env: { HOME: join(image, 'home') },
    mounts: [
      { source: join(volumes, 'data'), target: join(volumes, 'data-here'), readOnly: true },
      { source: join(volumes, 'scratch'), target: volumes, readOnly: false },
    ],
    workingDir: '/',
    user: { uid: 10001, gid: 10001 },
  };
  const output = join(image, 'output');
  const fd = openSync(output, 'w');
  const child = startHouseProcess(launch, fd);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, readFileSync(output, 'utf8'));
  assert.equal(readFileSync(output, 'utf8'), 'mounted\n');
});

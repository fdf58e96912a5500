import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultHouseSettings } from '../../api/house-settings.ts';
import { binaryPath, toolDir } from '../tools/cache.ts';
import { toolNamed } from '../tools/upstream-tools.ts';
import { distroImageDir, localImage, localKubernetesReleases } from './local-images.ts';
import { LocalImageError, prepareLocalImage } from './prepare-local-image.ts';

const houses = defaultHouseSettings;
let cache: string;
const previousCache = process.env.LANDLORD_CACHE_DIR;

before(() => {
  cache = mkdtempSync(join(tmpdir(), 'landlord-images-'));
  process.env.LANDLORD_CACHE_DIR = cache;
});
after(() => {
  if (previousCache === undefined) delete process.env.LANDLORD_CACHE_DIR;
  else process.env.LANDLORD_CACHE_DIR = previousCache;
  rmSync(cache, { recursive: true, force: true });
});

describe('localImage', () => {
  it('stands the vCluster image for the vCluster binary built from its module', () => {
    assert.deepEqual(localImage(houses.images.vcluster, houses), { kind: 'vcluster', binary: binaryPath('vcluster') });
  });

  it('stands each served patch release of the distro image for a folder of that release', () => {
    assert.deepEqual(localKubernetesReleases(), ['v1.36.3', 'v1.35.4']);
    for (const version of localKubernetesReleases()) {
      const image = localImage(`${houses.images.kubernetes}:${version}`, houses);
      assert.deepEqual(image, { kind: 'kubernetes', version, binariesDir: distroImageDir(version) });
    }
    assert.notEqual(distroImageDir('v1.35.4'), distroImageDir('v1.36.3'));
    assert.deepEqual(localImage(`${houses.images.kubernetes}:1.35.4`, houses), {
      kind: 'kubernetes',
      version: 'v1.35.4',
      binariesDir: distroImageDir('v1.35.4'),
    });
  });

  it('knows no other image: another tag, another repository, a look-alike prefix', () => {
    for (const reference of [
      `${houses.images.kubernetes}:v1.34.0`,
      `${houses.images.kubernetes}:latest`,
      `${houses.images.kubernetes}`,
      `${houses.images.kubernetes}-evil:v1.36.3`,
      'ghcr.io/loft-sh/kubernetes:v1.36.3',
      'ghcr.io/loft-sh/vcluster-oss:0.36.1',
      `${houses.images.vcluster}-debug`,
      houses.images.coredns,
    ])
      assert.equal(localImage(reference, houses), undefined, reference);
  });

  it('follows the images the platform configures', () => {
    const mirrored = { ...houses, images: { ...houses.images, kubernetes: 'mirror.example/k8s' } };
    assert.equal(localImage('mirror.example/k8s:v1.36.3', mirrored)?.kind, 'kubernetes');
    assert.equal(localImage(`${houses.images.kubernetes}:v1.36.3`, mirrored), undefined);
  });
});

describe('prepareLocalImage', () => {
  it('refuses, naming the missing binaries and the command, before the tools are built', () => {
    const image = localImage(`${houses.images.kubernetes}:v1.35.4`, houses);
    assert.ok(image);
    assert.throws(
      () => prepareLocalImage(image),
      (error: unknown) => {
        assert.ok(error instanceof LocalImageError);
        assert.match(error.message, /kube-apiserver/);
        assert.match(error.message, /bin\/landlord dev tools/);
        return true;
      },
    );
  });

  it('links the binaries of that very release and kine (hard links), and does it again without harm', () => {
    const builtFiles = [
      ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((name) =>
        join(toolDir(toolNamed('kubernetes-1.35')), name),
      ),
      binaryPath('kine'),
    ];
    for (const file of builtFiles) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, file);
    }
    const image = localImage(`${houses.images.kubernetes}:v1.35.4`, houses);
    assert.ok(image?.kind === 'kubernetes');
    prepareLocalImage(image);
    prepareLocalImage(image);
    const dir = image.binariesDir;
    const sameFile = (a: string, b: string) => statSync(a).ino === statSync(b).ino;
    assert.ok(sameFile(join(dir, 'kube-apiserver'), builtFiles[0] ?? ''), 'the 1.35 kube-apiserver');
    assert.match(builtFiles[0] ?? '', /kubernetes-1\.35-v1\.35\.4-/);
    assert.ok(sameFile(join(dir, 'kine'), binaryPath('kine')), 'kine');
    assert.ok(!lstatSync(join(dir, 'kine')).isSymbolicLink(), 'no symlink: the home folder is hidden in a house');
  });
});

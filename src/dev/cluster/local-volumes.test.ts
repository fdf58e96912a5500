import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { LocalCluster } from './local-cluster.ts';
import {
  buildLocalVolume,
  hostFolderOfVolume,
  isReleasedLocalVolume,
  localStorageClassName,
  needsVolume,
  volumesDir,
} from './local-volumes.ts';

const cluster: LocalCluster = { name: 'unit', basePort: 30000, workdir: '/cache/kwok' };
const claim = (change: (claim: PersistentVolumeClaim) => void = () => {}): PersistentVolumeClaim => {
  const made: PersistentVolumeClaim = {
    metadata: { name: 'data-team-a-0', namespace: 'vcluster-team-a', uid: '1234-abcd' },
    spec: {
      storageClassName: localStorageClassName,
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Gi' } },
    },
    status: { phase: 'Pending' },
  };
  change(made);
  return made;
};

describe('local volumes', () => {
  it("gives a pending claim of the local class a volume bound to it, in a folder named by the claim's uid", () => {
    assert.equal(needsVolume(claim(), []), true);
    const volume = buildLocalVolume(claim(), cluster);
    assert.equal(volume.metadata?.name, 'pvc-1234-abcd');
    assert.equal(volume.spec?.hostPath?.path, '/cache/kwok/clusters/unit/volumes/pvc-1234-abcd');
    assert.deepEqual(volume.spec?.claimRef, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      namespace: 'vcluster-team-a',
      name: 'data-team-a-0',
      uid: '1234-abcd',
    });
    assert.equal(volume.spec?.capacity?.storage, '5Gi');
    assert.equal(volume.spec?.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(needsVolume(claim(), [volume]), false, 'never twice');
  });

  it('leaves claims of other classes, bound ones, going ones and claims naming a volume alone', () => {
    assert.equal(
      needsVolume(
        claim((c) => (c.spec = { ...c.spec, storageClassName: 'fast' })),
        [],
      ),
      false,
    );
    assert.equal(
      needsVolume(
        claim((c) => (c.spec = { ...c.spec, storageClassName: undefined })),
        [],
      ),
      false,
    );
    assert.equal(
      needsVolume(
        claim((c) => Object.assign(c, { status: { phase: 'Bound' } })),
        [],
      ),
      false,
    );
    assert.equal(
      needsVolume(
        claim((c) => (c.metadata = { ...c.metadata, deletionTimestamp: 'now' })),
        [],
      ),
      false,
    );
    assert.equal(
      needsVolume(
        claim((c) => (c.spec = { ...c.spec, volumeName: 'pvc-victim' })),
        [],
      ),
      false,
    );
  });

  it('names the host folder only of its own volumes inside the volumes folder', () => {
    const volume = buildLocalVolume(claim(), cluster);
    assert.equal(hostFolderOfVolume(volume, cluster), join(volumesDir(cluster), 'pvc-1234-abcd'));
    const foreign: PersistentVolume = { ...volume, metadata: { name: 'pvc-1234-abcd' } };
    assert.equal(hostFolderOfVolume(foreign, cluster), undefined, 'not provisioned here');
    for (const path of [
      '/',
      '/etc',
      volumesDir(cluster),
      join(volumesDir(cluster), '..', 'pki'),
      join(volumesDir(cluster), 'a', 'b'),
    ]) {
      const moved: PersistentVolume = { ...volume, spec: { ...volume.spec, hostPath: { path } } };
      assert.equal(hostFolderOfVolume(moved, cluster), undefined, path);
    }
  });

  it('releases only its own volumes whose claim is gone and whose policy is Delete', () => {
    const volume = buildLocalVolume(claim(), cluster);
    assert.equal(isReleasedLocalVolume({ ...volume, status: { phase: 'Bound' } }), false);
    assert.equal(isReleasedLocalVolume({ ...volume, status: { phase: 'Released' } }), true);
    const retained = { ...volume, spec: { ...volume.spec, persistentVolumeReclaimPolicy: 'Retain' } };
    assert.equal(isReleasedLocalVolume({ ...retained, status: { phase: 'Released' } }), false);
    assert.equal(isReleasedLocalVolume({ metadata: { name: 'other' }, status: { phase: 'Released' } }), false);
  });
});
